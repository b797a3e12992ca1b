package org.goctopus.auth;

/**
 * Decides who an upgrade request is: the keys its socket registers under, or a
 * refusal with the HTTP status the client gets. Called on the upgrading request's
 * thread; implementations are thread-safe and bound their own time.
 */
public interface Authorizer extends AutoCloseable {

    Decision authorize(UpgradeRequest request);

    @Override
    default void close() {
    }
}
