package org.goctopus.engine;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.goctopus.core.Message;

/**
 * Where an engine hands what it stored back to this instance: the hub, which owns
 * the local sockets. The engine calls these one at a time, never concurrently,
 * in the order it decided them (acceptance order for {@link #published}); a call
 * may come on any thread, and possibly while the engine holds a lock of its own,
 * so none of them may block or write to a socket.
 */
public interface Deliveries {

    /**
     * A message newly accepted, by this instance or another, to be handed to every
     * matching local socket. Returns the work that starts the sockets' writes: the
     * engine runs it next, on the same thread, outside any lock of its own.
     */
    Runnable published(Message message);

    /**
     * The message left the queues of these keys (it may still be queued in other
     * target keys; {@code gone} says it left the last one). For logs and for what is
     * built on top; the engine has already marked a gone message so that backlogs
     * skip it.
     */
    void left(UUID id, List<String> keys, Departure why, boolean gone);

    /**
     * The keys of the local sockets (literal keys and glob patterns), for an engine
     * that catches up on notifications it missed.
     */
    Set<String> subscribedKeys();

    /**
     * The store's order went back to {@code seq} (Redis failed over to a replica that
     * missed the last writes, or lost its data): sockets must not take new messages
     * numbered at or below what they saw for ones already sent.
     */
    void rewind(long seq);
}
