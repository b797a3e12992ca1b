package org.goctopus.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.goctopus.support.Api;
import org.goctopus.support.RawUpgrade;
import org.goctopus.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keepalive while frames flow: the server pings every WS_PING_INTERVAL even while
 * it is busy sending a long backlog, so a peer that answers pings but has nothing
 * else to say yet (it ACKs later, or in batches) is never taken for silent.
 */
class KeepaliveTest {

    private static final int MESSAGES = 200;
    private static final int VALUE_BYTES = 64 * 1024;
    /** What the test's reader takes per second: the backlog (about 13 MB) lasts well over a second. */
    private static final long READ_BYTES_PER_SECOND = 10L * 1024 * 1024;

    static TestServer server;
    static Api api;

    @BeforeAll
    static void start() {
        // A read timeout far away: this test counts the pings, it does not race them.
        server = TestServer.start(Map.of("WS_PING_INTERVAL", "50ms", "WS_READ_TIMEOUT", "60s"));
        api = server.api();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void pingsGoOutBetweenTheFramesOfALongBacklog() throws Exception {
        String padding = "x".repeat(VALUE_BYTES);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                done.add(pool.submit(() -> {
                    for (int n = 0; n < MESSAGES / 2; n++) {
                        api.publish("{\"key\":\"k\",\"value\":\"" + padding + "\",\"expire\":\"5m\"}");
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        try (RawUpgrade raw = RawUpgrade.open(server.port(), "/", Map.of())) {
            assertEquals(101, raw.status(), raw.head());
            DataInputStream in = new DataInputStream(new Throttled(raw.socket().getInputStream()));
            int messages = 0;
            int pingsAmidTheBacklog = 0;
            while (messages < MESSAGES) {
                int b0 = in.readUnsignedByte();
                int opcode = b0 & 0x0F;
                boolean fin = (b0 & 0x80) != 0;
                int b1 = in.readUnsignedByte();
                long length = b1 & 0x7F;
                if (length == 126) {
                    length = in.readUnsignedShort();
                } else if (length == 127) {
                    length = in.readLong();
                }
                in.skipNBytes(length); // server frames are not masked
                if (opcode == 0x9) {
                    pingsAmidTheBacklog++;
                } else if (opcode == 0x1 || opcode == 0x0) {
                    messages += fin ? 1 : 0; // a long text may come in fragments
                } else {
                    throw new AssertionError("unexpected opcode " + opcode + " after " + messages + " messages");
                }
            }
            // Over a second of sending at one ping per 50 ms gives about a dozen; a few prove the point.
            assertTrue(pingsAmidTheBacklog >= 3, "only " + pingsAmidTheBacklog + " pings while the backlog flowed");
        } finally {
            api.delete("/");
        }
    }

    /** Reads at most {@link #READ_BYTES_PER_SECOND}: a slow but steady peer. */
    private static final class Throttled extends FilterInputStream {
        private final long started = System.nanoTime();
        private long taken;

        Throttled(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            pace();
            int b = super.read();
            taken += b < 0 ? 0 : 1;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            pace();
            int n = super.read(b, off, Math.min(len, 16 * 1024));
            taken += Math.max(n, 0);
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] scratch = new byte[16 * 1024];
            long skipped = 0;
            while (skipped < n) {
                int r = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
                if (r < 0) {
                    break;
                }
                skipped += r;
            }
            return skipped;
        }

        private void pace() throws IOException {
            long due = taken * 1_000_000_000L / READ_BYTES_PER_SECOND;
            long ahead = due - (System.nanoTime() - started);
            if (ahead > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(ahead);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            }
        }
    }
}
