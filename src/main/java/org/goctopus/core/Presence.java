package org.goctopus.core;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Live sockets per connection key (glob keys counted as registered), for
 * {@code GET /?presence}. The hub reports each socket that joins or leaves; an
 * implementation shared by several instances sums theirs.
 */
public interface Presence extends AutoCloseable {

    /** A socket with these keys registered on this instance. Must not block. */
    void joined(List<String> keys);

    /** A socket with these keys left this instance. Must not block. */
    void left(List<String> keys);

    /** Sockets per key, over every instance sharing this presence; keys with none are absent. */
    CompletionStage<Map<String, Integer>> counts();

    @Override
    void close();
}
