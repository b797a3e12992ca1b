package bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a fault costs the other clients (bench/run --faults): {@value #READERS} sockets on
 * one key read a paced stream ({@value #RATE} messages/s for {@value #SECONDS} s) while a
 * fault runs beside them, and their p50/p99 latency, the losses and the service's memory
 * are compared with a fault-free phase of the same shape. For the slow readers, the
 * fault-free phase has the same number of extra sockets on the key, reading: the ratio
 * isolates the slowness from the larger fan-out.
 */
final class Faults {
    static final int READERS = 100;
    static final int RATE = 20;
    static final int SECONDS = 15;
    static final int CROWD = 1000;

    record Phase(String name, double p50, double p99, long delivered, long losses, long heapGrowthKb, long rssGrowthKb,
                 String note) {
    }

    private final Target target;
    private final long pid;
    private final WsClient ws;
    private final List<Phase> phases = new ArrayList<>();
    private int round;

    Faults(Target target, long pid) throws IOException {
        this.target = target;
        this.pid = pid;
        this.ws = new WsClient(target.addresses, target.acks(), 2);
    }

    void run(Path out) throws Exception {
        measure("warm-up (not compared)", null, false);
        phases.clear();
        measure("none", null, false);
        measure("none, 1,000 more readers on the key", null, true);
        measure("1,000 stalled readers on the key", this::stalledReaders, false);
        measure("upgrade flood (32 at a time, opened and closed)", this::upgradeFlood, false);
        measure("bad JSON POSTs (4 publishers, as fast as answered)", this::badJson, false);
        measure("200 handshakes trickled a byte a second", this::trickledHandshakes, false);
        Files.writeString(out, table());
    }

    /** A fault: runs until {@code stop}, returns a note on what it did. */
    interface Fault {
        String run(AtomicBoolean stop) throws Exception;
    }

    private void measure(String name, Fault fault, boolean crowd) throws Exception {
        String key = "fault" + (++round) + "-org";
        Runner.log("faults: " + name);
        List<WsClient.Conn> readers = WsClient.conns(READERS + (crowd ? CROWD : 0),
                i -> target.handshake("fault" + round + "-u" + i, key, key));
        ws.openAll(readers, 32, System.nanoTime() + TimeUnit.SECONDS.toNanos(120));
        long heap0 = Proc.liveHeapKb(pid);
        long rss0 = Proc.rssKb(List.of(pid));
        AtomicBoolean stop = new AtomicBoolean();
        String[] note = {""};
        Thread faulty = null;
        if (fault != null) {
            faulty = new Thread(() -> {
                try {
                    note[0] = fault.run(stop);
                } catch (Exception e) {
                    note[0] = "fault failed: " + e;
                }
            }, "fault");
            faulty.start();
            Thread.sleep(2000); // the fault under way before measuring
        }
        ws.resetCounters();
        int accepted = 0;
        try (Http http = new Http(target.address)) {
            long t0 = System.nanoTime();
            for (int i = 0; i < RATE * SECONDS; i++) {
                long wait = t0 + i * (1_000_000_000L / RATE) - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                if (http.exchange(target.publish(key, System.nanoTime(), i), false) == 202) {
                    accepted++;
                }
            }
        }
        int open = (int) readers.stream().filter(c -> c.open).count();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (ws.uniqueTotal.sum() < (long) accepted * open && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        stop.set(true);
        if (faulty != null) {
            faulty.join(60_000);
        }
        WsClient.Stats st = ws.snapshot();
        long losses = 0;
        for (WsClient.Conn c : readers) {
            losses += c.open ? Math.max(0, accepted - c.unique()) : accepted;
        }
        phases.add(new Phase(name, st.latency.quantile(0.50) / 1000.0, st.latency.quantile(0.99) / 1000.0, st.unique,
                losses, Proc.liveHeapKb(pid) - heap0, Proc.rssKb(List.of(pid)) - rss0, note[0]));
        ws.closeAll(readers);
        Thread.sleep(1500);
    }

    private Socket upgrade(String user, String keyCookie) throws IOException {
        Socket s = new Socket();
        s.connect(target.address, 5000);
        s.getOutputStream().write(target.handshake(user, keyCookie, keyCookie));
        return s;
    }

    /** Reads the handshake's answer up to its blank line; true on a 101. */
    private static boolean upgraded(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
            head.append((char) b);
            if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                break;
            }
        }
        return head.toString().startsWith("HTTP/1.1 101");
    }

    private String stalledReaders(AtomicBoolean stop) throws Exception {
        String key = "fault" + round + "-org";
        List<Socket> sockets = new ArrayList<>();
        int ok = 0;
        try {
            for (int i = 0; i < CROWD; i++) {
                Socket s = upgrade("fault" + round + "-stalled" + i, key);
                s.setReceiveBufferSize(4096);
                sockets.add(s);
                if (upgraded(s)) {
                    ok++;
                }
            }
            while (!stop.get()) {
                Thread.sleep(50); // never read again
            }
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
        return ok + " stalled sockets upgraded";
    }

    private String upgradeFlood(AtomicBoolean stop) throws Exception {
        AtomicLong done = new AtomicLong();
        inThreads(32, n -> {
            for (int i = 0; !stop.get(); i++) {
                try (Socket s = upgrade("flood" + n + "-" + i, "flood-org")) {
                    if (upgraded(s)) {
                        done.incrementAndGet();
                    }
                } catch (IOException e) {
                    // counted by what succeeded
                }
            }
        });
        return done.get() + " upgrades opened and closed";
    }

    private String badJson(AtomicBoolean stop) throws Exception {
        AtomicLong refused = new AtomicLong();
        String authz = "Authorization: " + ((Target.Goctopus) target).authorization;
        String body = "{\"key\": \"x\", \"value\": {oops";
        byte[] request = ("POST / HTTP/1.1\r\nHost: " + target.host + "\r\n" + authz + "\r\nContent-Length: "
                + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII);
        inThreads(4, n -> {
            try (Http http = new Http(target.address)) {
                while (!stop.get()) {
                    if (http.exchange(request, false) == 400) {
                        refused.incrementAndGet();
                    }
                }
            } catch (IOException e) {
                // the count says how far it went
            }
        });
        return refused.get() + " bad bodies answered 400";
    }

    /** Runs {@code body(0..n-1)} on n threads of its own and waits for all of them. */
    private static void inThreads(int n, java.util.function.IntConsumer body) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            int index = t;
            Thread th = new Thread(() -> body.accept(index), "fault-" + t);
            th.start();
            threads.add(th);
        }
        for (Thread th : threads) {
            th.join();
        }
    }

    private String trickledHandshakes(AtomicBoolean stop) throws Exception {
        byte[] handshake = target.handshake("trickle", "trickle-org", "trickle-org");
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                Socket s = new Socket();
                s.connect(target.address, 5000);
                sockets.add(s);
            }
            for (int b = 0; b < handshake.length && !stop.get(); b++) {
                for (Socket s : sockets) {
                    try {
                        OutputStream out = s.getOutputStream();
                        out.write(handshake[b]);
                        out.flush();
                    } catch (IOException e) {
                        // the server gave up on it: as it should
                    }
                }
                for (int w = 0; w < 20 && !stop.get(); w++) {
                    Thread.sleep(50);
                }
            }
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
        return "200 sockets trickling";
    }

    private String table() {
        double baseline = phases.get(0).p99();
        double crowdBaseline = phases.get(1).p99();
        StringBuilder md = new StringBuilder();
        md.append("| fault beside the 100 readers | p50 ms | p99 ms | p99 ratio | delivered | lost | heap growth after GC | RSS growth | what the fault did |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (int i = 0; i < phases.size(); i++) {
            Phase p = phases.get(i);
            double against = i == 2 ? crowdBaseline : baseline;
            String ratio = i == 0 ? "1 (baseline)" : String.format(Locale.ROOT, "%.2f×%s", p.p99() / against,
                    i == 2 ? " (vs the 1,000 reading)" : "");
            md.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %s | %d | %d | %+.1f MB | %+.1f MB | %s |%n",
                    p.name(), p.p50(), p.p99(), ratio, p.delivered(), p.losses(), p.heapGrowthKb() / 1024.0,
                    p.rssGrowthKb() / 1024.0, p.note()));
        }
        return md.toString();
    }
}
