package bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * A cheap websocket client for many sockets: a few selector threads, each owning many
 * connections. Client frames are masked; server text frames are scanned for "id", "t" and "s"
 * with plain byte search (no JSON parser); each message is ACKed right away when the target
 * asks for it. Counters are per thread and collected by {@link #snapshot()}.
 */
final class WsClient implements AutoCloseable {

    /** One websocket. Its fields are touched only by its selector thread, except {@link #closing}. */
    static final class Conn {
        final int index;
        final byte[] handshake;
        final byte[] mask = new byte[4];
        SocketChannel ch;
        InetSocketAddress server;
        Loop loop;
        int state; // 0 connecting, 1 handshake sent, 2 open, 3 closed
        byte[] carry = new byte[0];
        int carryLen;
        ByteBuffer pendingOut;
        ByteArrayOutputStream frag;
        final BitSet seen = new BitSet();
        int unique;
        int expected;
        long connStart;
        volatile boolean closing;
        volatile boolean open;
        volatile boolean done; // open or failed
        Semaphore permit;

        Conn(int index, byte[] handshake) {
            this.index = index;
            this.handshake = handshake;
            ThreadLocalRandom.current().nextBytes(mask);
        }

        int unique() {
            return unique;
        }
    }

    /** What one selector thread counted since the last snapshot. */
    static final class Stats {
        final Histo latency = new Histo();   // µs, publish to receive
        final Histo connect = new Histo();   // µs, TCP connect start to 101
        long frames;
        long unique;
        long dups;
        long stray;
        long acks;
        long lastRecv;
        long closedByServer;
        final Map<String, Long> closeCodes = new TreeMap<>();

        void add(Stats o) {
            latency.add(o.latency);
            connect.add(o.connect);
            frames += o.frames;
            unique += o.unique;
            dups += o.dups;
            stray += o.stray;
            acks += o.acks;
            lastRecv = Math.max(lastRecv, o.lastRecv);
            closedByServer += o.closedByServer;
            o.closeCodes.forEach((k, v) -> closeCodes.merge(k, v, Long::sum));
        }
    }

    /** Where sockets connect, in turn (several instances of one server). */
    private final List<InetSocketAddress> servers;
    private int nextServer;
    private final boolean ack;
    private final Loop[] loops;
    private int next;
    final LongAdder uniqueTotal = new LongAdder();
    final LongAdder opened = new LongAdder();
    final LongAdder failed = new LongAdder();
    final Map<String, LongAdder> failures = new ConcurrentHashMap<>();

    WsClient(List<InetSocketAddress> servers, boolean ack, int threads) throws IOException {
        this.servers = servers;
        this.ack = ack;
        loops = new Loop[threads];
        for (int i = 0; i < threads; i++) {
            loops[i] = new Loop(i);
            loops[i].start();
        }
    }

    static byte[] handshake(String host, String path, String cookie) {
        return ("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + "Cookie: " + cookie + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Starts opening c; the permit (if any) is released once it is open or has failed. */
    void open(Conn c, Semaphore permit) {
        c.permit = permit;
        c.server = servers.get(nextServer++ % servers.size());
        Loop loop = loops[next++ % loops.length];
        c.loop = loop;
        loop.submit(() -> loop.startConnect(c));
    }

    /**
     * Opens every connection, at most inFlight at a time, giving up on what is not open by the
     * deadline. Returns the number opened.
     */
    int openAll(List<Conn> conns, int inFlight, long deadlineNanos) throws InterruptedException {
        Semaphore permits = new Semaphore(inFlight);
        for (Conn c : conns) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0 || !permits.tryAcquire(left, TimeUnit.NANOSECONDS)) {
                break;
            }
            open(c, permits);
        }
        // wait for the stragglers, bounded
        while (System.nanoTime() < deadlineNanos && !permits.tryAcquire(inFlight, 50, TimeUnit.MILLISECONDS)) {
            // bounded by the deadline
        }
        int n = 0;
        for (Conn c : conns) {
            if (c.open) {
                n++;
            } else if (!c.done) {
                fail(c, c.ch == null ? "not attempted (deadline)" : "handshake timeout");
                closeQuietly(c);
            }
        }
        return n;
    }

    void failure(String why) {
        failures.computeIfAbsent(why, k -> new LongAdder()).increment();
    }

    private void fail(Conn c, String why) {
        synchronized (c) {
            if (c.done) {
                return;
            }
            c.done = true;
        }
        failed.increment();
        failure(why);
        if (c.permit != null) {
            c.permit.release();
        }
    }

    static void closeQuietly(Conn c) {
        c.closing = true;
        SocketChannel ch = c.ch;
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    /** Closes every connection of the list (the client's choice: not counted as a server close). */
    void closeAll(List<Conn> conns) {
        for (Conn c : conns) {
            closeQuietly(c);
        }
    }

    /** Collects and resets the counters of every selector thread. */
    Stats snapshot() throws InterruptedException {
        Stats total = new Stats();
        CountDownLatch latch = new CountDownLatch(loops.length);
        Stats[] parts = new Stats[loops.length];
        for (Loop l : loops) {
            l.submit(() -> {
                parts[l.id] = l.stats;
                l.stats = new Stats();
                latch.countDown();
            });
        }
        if (!latch.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("selector threads did not answer");
        }
        for (Stats s : parts) {
            total.add(s);
        }
        return total;
    }

    void resetCounters() throws InterruptedException {
        snapshot();
        uniqueTotal.reset();
        opened.reset();
        failed.reset();
        failures.clear();
    }

    @Override
    public void close() {
        for (Loop l : loops) {
            l.running = false;
            l.selector.wakeup();
        }
        for (Loop l : loops) {
            try {
                l.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static final byte[] ID = "\"id\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] T = "\"t\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] S = "\"s\"".getBytes(StandardCharsets.US_ASCII);

    private final class Loop extends Thread {
        final int id;
        final Selector selector;
        final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
        final ByteBuffer in = ByteBuffer.allocate(256 * 1024);
        final ByteBuffer out = ByteBuffer.allocate(256 * 1024);
        volatile boolean running = true;
        Stats stats = new Stats();

        Loop(int id) throws IOException {
            super("ws-loop-" + id);
            setDaemon(true);
            this.id = id;
            selector = Selector.open();
        }

        void submit(Runnable r) {
            tasks.add(r);
            selector.wakeup();
        }

        void startConnect(Conn c) {
            try {
                SocketChannel ch = SocketChannel.open();
                c.ch = ch;
                if (c.closing) {
                    ch.close();
                    fail(c, "closed before connect");
                    return;
                }
                ch.configureBlocking(false);
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                c.connStart = System.nanoTime();
                if (ch.connect(c.server)) {
                    ch.register(selector, SelectionKey.OP_READ, c);
                    sendHandshake(c);
                } else {
                    ch.register(selector, SelectionKey.OP_CONNECT, c);
                }
            } catch (IOException e) {
                fail(c, "connect: " + e.getClass().getSimpleName() + ": " + e.getMessage());
                closeQuietly(c);
            }
        }

        private void sendHandshake(Conn c) throws IOException {
            c.state = 1;
            write(c, ByteBuffer.wrap(c.handshake));
        }

        @Override
        public void run() {
            while (running) {
                try {
                    selector.select(200);
                    Runnable r;
                    while ((r = tasks.poll()) != null) {
                        r.run();
                    }
                    Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                    while (it.hasNext()) {
                        SelectionKey k = it.next();
                        it.remove();
                        Conn c = (Conn) k.attachment();
                        try {
                            if (!k.isValid()) {
                                lost(c, "cancelled");
                                continue;
                            }
                            if (k.isConnectable()) {
                                c.ch.finishConnect();
                                k.interestOps(SelectionKey.OP_READ);
                                sendHandshake(c);
                            }
                            if (k.isValid() && k.isWritable()) {
                                flushPending(c, k);
                            }
                            if (k.isValid() && k.isReadable()) {
                                read(c);
                            }
                        } catch (IOException | RuntimeException e) {
                            lost(c, e.getClass().getSimpleName() + ": " + e.getMessage());
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    e.printStackTrace();
                }
            }
            try {
                selector.close();
            } catch (IOException e) {
                // exiting
            }
        }

        /** The connection ended without the client asking for it (or while opening). */
        private void lost(Conn c, String why) {
            if (c.state == 3) {
                return;
            }
            boolean wasOpen = c.state == 2;
            c.state = 3;
            closeQuietlyKeepFlag(c);
            if (!wasOpen) {
                fail(c, why);
            } else if (!c.closing) {
                stats.closedByServer++;
                stats.closeCodes.merge(why, 1L, Long::sum);
            }
            c.open = false;
        }

        private void closeQuietlyKeepFlag(Conn c) {
            try {
                c.ch.close();
            } catch (IOException e) {
                // closing
            }
        }

        private void read(Conn c) throws IOException {
            while (true) {
                in.clear();
                if (c.carryLen > 0) {
                    if (c.carryLen > in.capacity() / 2) {
                        lost(c, "frame larger than the client buffer");
                        return;
                    }
                    in.put(c.carry, 0, c.carryLen);
                    c.carryLen = 0;
                }
                int n = c.ch.read(in);
                if (n < 0) {
                    lost(c, c.closing ? "closed" : "eof without close frame");
                    return;
                }
                if (n == 0 && in.position() == 0) {
                    return;
                }
                out.clear();
                int end = in.position();
                int used = process(c, in.array(), 0, end);
                if (c.state == 3) {
                    return;
                }
                if (used < end) {
                    int rest = end - used;
                    if (c.carry.length < rest) {
                        c.carry = new byte[Math.max(rest, 256)];
                    }
                    System.arraycopy(in.array(), used, c.carry, 0, rest);
                    c.carryLen = rest;
                }
                if (out.position() > 0) {
                    out.flip();
                    write(c, out);
                }
                if (n == 0 || in.position() < in.capacity()) {
                    return;
                }
            }
        }

        /** Parses what it can; returns how many bytes it consumed. */
        private int process(Conn c, byte[] b, int off, int end) throws IOException {
            int p = off;
            if (c.state == 1) {
                int hdrEnd = indexOf(b, p, end, new byte[] {'\r', '\n', '\r', '\n'});
                if (hdrEnd < 0) {
                    return p;
                }
                int status = end - p >= 12 ? (b[p + 9] - '0') * 100 + (b[p + 10] - '0') * 10 + (b[p + 11] - '0') : -1;
                if (status != 101) {
                    c.state = 3;
                    closeQuietlyKeepFlag(c);
                    fail(c, "status " + status);
                    return end;
                }
                synchronized (c) {
                    if (c.done) {
                        c.state = 3;
                        closeQuietlyKeepFlag(c);
                        return end;
                    }
                    c.done = true;
                }
                c.state = 2;
                c.open = true;
                stats.connect.record((System.nanoTime() - c.connStart) / 1000);
                opened.increment();
                if (c.permit != null) {
                    c.permit.release();
                }
                p = hdrEnd + 4;
            }
            while (end - p >= 2) {
                int b0 = b[p] & 0xff;
                int b1 = b[p + 1] & 0xff;
                long len = b1 & 0x7f;
                int h = 2;
                if (len == 126) {
                    if (end - p < 4) {
                        break;
                    }
                    len = ((b[p + 2] & 0xff) << 8) | (b[p + 3] & 0xff);
                    h = 4;
                } else if (len == 127) {
                    if (end - p < 10) {
                        break;
                    }
                    len = 0;
                    for (int i = 0; i < 8; i++) {
                        len = (len << 8) | (b[p + 2 + i] & 0xff);
                    }
                    h = 10;
                }
                boolean masked = (b1 & 0x80) != 0;
                if (masked) {
                    h += 4;
                }
                if (len > in.capacity() / 2) {
                    lost(c, "frame of " + len + " bytes");
                    return end;
                }
                if (end - p < h + len) {
                    break;
                }
                int start = p + h;
                int l = (int) len;
                if (masked) {
                    for (int i = 0; i < l; i++) {
                        b[start + i] ^= b[start - 4 + (i & 3)];
                    }
                }
                boolean fin = (b0 & 0x80) != 0;
                int op = b0 & 0x0f;
                p = start + l;
                switch (op) {
                    case 0, 1, 2 -> {
                        if (!fin || c.frag != null) {
                            if (c.frag == null) {
                                c.frag = new ByteArrayOutputStream();
                            }
                            c.frag.write(b, start, l);
                            if (fin) {
                                byte[] all = c.frag.toByteArray();
                                c.frag = null;
                                message(c, all, 0, all.length);
                            }
                        } else {
                            message(c, b, start, l);
                        }
                    }
                    case 8 -> {
                        int code = l >= 2 ? ((b[start] & 0xff) << 8) | (b[start + 1] & 0xff) : 1005;
                        byte[] reply = frame(c, 0x88, b, start, Math.min(l, 2));
                        out.put(reply);
                        out.flip();
                        try {
                            c.ch.write(out);
                        } catch (IOException e) {
                            // closing anyway
                        }
                        lost(c, "close " + code);
                        return end;
                    }
                    case 9 -> {
                        byte[] pong = frame(c, 0x8A, b, start, Math.min(l, 125));
                        if (out.remaining() < pong.length) {
                            out.flip();
                            write(c, out);
                            out.clear();
                        }
                        out.put(pong);
                    }
                    default -> {
                        // pong or unknown: ignored
                    }
                }
            }
            return p;
        }

        private void message(Conn c, byte[] b, int off, int len) {
            long now = System.nanoTime();
            int end = off + len;
            stats.frames++;
            stats.lastRecv = now;
            long t = number(b, off, end, T);
            long s = number(b, off, end, S);
            if (ack) {
                int i = indexOf(b, off, end, ID);
                int q1 = i < 0 ? -1 : indexOfByte(b, i + ID.length, end, (byte) '"');
                int q2 = q1 < 0 ? -1 : indexOfByte(b, q1 + 1, end, (byte) '"');
                if (q2 > 0) {
                    int idLen = q2 - q1 - 1;
                    int payload = 9 + idLen; // {"id":"..."}
                    if (out.remaining() < payload + 6 + 16) {
                        out.flip();
                        try {
                            write(c, out);
                        } catch (IOException e) {
                            // seen on the next read
                        }
                        out.clear();
                    }
                    out.put((byte) 0x81);
                    out.put((byte) (0x80 | payload)); // payload < 126 for uuids
                    out.put(c.mask);
                    int from = out.position();
                    out.put((byte) '{').put((byte) '"').put((byte) 'i').put((byte) 'd').put((byte) '"')
                            .put((byte) ':').put((byte) '"');
                    out.put(b, q1 + 1, idLen);
                    out.put((byte) '"').put((byte) '}');
                    byte[] a = out.array();
                    for (int k = 0; k < payload; k++) {
                        a[from + k] ^= c.mask[k & 3];
                    }
                    stats.acks++;
                } else {
                    stats.stray++;
                }
            }
            if (t < 0 || s < 0 || s > Integer.MAX_VALUE) {
                stats.stray++;
                return;
            }
            if (c.seen.get((int) s)) {
                stats.dups++;
                return;
            }
            c.seen.set((int) s);
            c.unique++;
            stats.unique++;
            uniqueTotal.increment();
            stats.latency.record((now - t) / 1000);
        }

        private byte[] frame(Conn c, int b0, byte[] b, int off, int len) {
            byte[] f = new byte[6 + len];
            f[0] = (byte) b0;
            f[1] = (byte) (0x80 | len);
            System.arraycopy(c.mask, 0, f, 2, 4);
            for (int i = 0; i < len; i++) {
                f[6 + i] = (byte) (b[off + i] ^ c.mask[i & 3]);
            }
            return f;
        }

        private void write(Conn c, ByteBuffer buf) throws IOException {
            if (c.pendingOut != null) {
                c.pendingOut = append(c.pendingOut, buf);
                return;
            }
            c.ch.write(buf);
            if (buf.hasRemaining()) {
                c.pendingOut = append(null, buf);
                SelectionKey k = c.ch.keyFor(selector);
                if (k != null && k.isValid()) {
                    k.interestOps(k.interestOps() | SelectionKey.OP_WRITE);
                }
            }
        }

        private ByteBuffer append(ByteBuffer pending, ByteBuffer more) {
            int have = pending == null ? 0 : pending.remaining();
            ByteBuffer n = ByteBuffer.allocate(have + more.remaining());
            if (pending != null) {
                n.put(pending);
            }
            n.put(more);
            n.flip();
            return n;
        }

        private void flushPending(Conn c, SelectionKey k) throws IOException {
            if (c.pendingOut != null) {
                c.ch.write(c.pendingOut);
                if (!c.pendingOut.hasRemaining()) {
                    c.pendingOut = null;
                }
            }
            if (c.pendingOut == null) {
                k.interestOps(k.interestOps() & ~SelectionKey.OP_WRITE);
            }
        }
    }

    static int indexOf(byte[] b, int from, int end, byte[] pat) {
        outer:
        for (int i = from; i <= end - pat.length; i++) {
            for (int j = 0; j < pat.length; j++) {
                if (b[i + j] != pat[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static int indexOfByte(byte[] b, int from, int end, byte x) {
        for (int i = from; i < end; i++) {
            if (b[i] == x) {
                return i;
            }
        }
        return -1;
    }

    /** The non-negative integer after "key": (spaces allowed), or -1. */
    static long number(byte[] b, int from, int end, byte[] key) {
        int i = indexOf(b, from, end, key);
        if (i < 0) {
            return -1;
        }
        i += key.length;
        while (i < end && (b[i] == ' ' || b[i] == ':')) {
            i++;
        }
        long v = 0;
        int start = i;
        while (i < end && b[i] >= '0' && b[i] <= '9') {
            v = v * 10 + (b[i] - '0');
            i++;
        }
        return i == start ? -1 : v;
    }

    static List<Conn> conns(int n, java.util.function.IntFunction<byte[]> handshakes) {
        List<Conn> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(new Conn(i, handshakes.apply(i)));
        }
        return list;
    }
}
