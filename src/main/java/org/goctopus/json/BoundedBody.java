package org.goctopus.json;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * An untrusted body (a publish, an auth answer) read up to a limit, never further: a sender
 * of megabytes costs no more memory than a small one.
 */
public final class BoundedBody {

    private BoundedBody() {
    }

    /**
     * The body's bytes, or null when it is longer than {@code limit}.
     *
     * @param declared its Content-Length, or -1: when given, the read is sized by it, as most
     *                 bodies are a few hundred bytes (reading up to the limit in one call sets
     *                 aside a 16 KB buffer for each: {@link InputStream#readNBytes(int)}'s chunk).
     *                 A body that turns out longer than declared is read on up to the limit.
     */
    public static byte[] read(InputStream in, long declared, int limit) throws IOException {
        if (declared > limit) {
            return null;
        }
        byte[] bytes = in.readNBytes(declared < 0 ? limit + 1 : (int) declared + 1);
        if (declared >= 0 && bytes.length > declared) {
            byte[] rest = in.readNBytes(limit + 1 - bytes.length);
            int head = bytes.length;
            bytes = Arrays.copyOf(bytes, head + rest.length);
            System.arraycopy(rest, 0, bytes, head, rest.length);
        }
        return bytes.length > limit ? null : bytes;
    }
}
