package org.goctopus.auth;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URL;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.glassfish.jersey.client.HttpUrlConnectorProvider;
import org.goctopus.core.DaemonThreads;

/**
 * Bounds each auth call as a whole (WS_AUTH_TIMEOUT), while the call itself runs on the
 * caller's thread. The HTTP client's own timeouts bound each connect and each read, so a
 * backend that trickles its answer would hold the upgrade far longer; here one timer thread
 * disconnects the call's connection at its deadline, which ends the blocked read at once.
 * It is the client's connection factory, so that it sees every connection a call opens.
 */
final class CallDeadlines implements HttpUrlConnectorProvider.ConnectionFactory, AutoCloseable {

    private final ThreadLocal<Deadline> current = new ThreadLocal<>();
    private final DaemonThreads.Owned timerThread = DaemonThreads.owned("goctopus-auth-deadlines");
    private final ScheduledThreadPoolExecutor timer;
    private final long timeoutNanos;

    CallDeadlines(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
        this.timer = new ScheduledThreadPoolExecutor(1, timerThread);
        timer.setRemoveOnCancelPolicy(true); // a call that ends in time leaves nothing queued
    }

    /** Starts the calling thread's call; {@link Deadline#end()} must follow on the same thread. */
    Deadline start() {
        Deadline deadline = new Deadline();
        deadline.expiry = timer.schedule(deadline::expire, timeoutNanos, TimeUnit.NANOSECONDS);
        current.set(deadline);
        return deadline;
    }

    @Override
    public HttpURLConnection getConnection(URL url) throws IOException {
        return watched((HttpURLConnection) url.openConnection());
    }

    @Override
    public HttpURLConnection getConnection(URL url, Proxy proxy) throws IOException {
        return watched((HttpURLConnection) (proxy == null ? url.openConnection() : url.openConnection(proxy)));
    }

    private HttpURLConnection watched(HttpURLConnection connection) {
        Deadline deadline = current.get();
        if (deadline != null) {
            deadline.watch(connection);
        }
        return connection;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        // On undeploy the container reports (and may kill) threads the application left running.
        timerThread.awaitEnd(Duration.ofSeconds(5));
    }

    final class Deadline {
        private ScheduledFuture<?> expiry;
        private HttpURLConnection connection;
        private boolean expired;

        /** Whether the call was cut at its deadline. */
        synchronized boolean expired() {
            return expired;
        }

        void end() {
            expiry.cancel(false);
            current.remove();
        }

        private synchronized void watch(HttpURLConnection opened) {
            connection = opened;
            if (expired) {
                opened.disconnect();
            }
        }

        private synchronized void expire() {
            expired = true;
            if (connection != null) {
                connection.disconnect();
            }
        }
    }
}
