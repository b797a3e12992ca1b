package bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;

/** Runs warm-up and S1..S5 against one server and writes key=value results. */
final class Runner {
    /** Counts of one run: full or --quick. */
    record Sizes(int[] s1N, int[] s1M, int s1Paced, int[] burstM, int s2Sockets, int s2Seconds, int s2Publishers,
                 int s3Sockets, int s4Upgrades, int s4InFlight, int s5Keys, int s5PerKey,
                 int warmN, int warmM, int warmS2Sockets, int warmS2Seconds, int warmUpgrades,
                 int warmMaxSeconds, int idleMax) {
        static Sizes full() {
            return new Sizes(new int[] {1000, 5000}, new int[] {1000, 200}, 50, new int[] {50, 20}, 1000, 10, 16,
                    10_000, 5000, 32, 500, 20, 300, 200, 300, 5, 5000, 240, 19_000);
        }

        static Sizes quick() {
            return new Sizes(new int[] {200, 1000}, new int[] {100, 20}, 10, new int[] {20, 10}, 200, 3, 16,
                    2000, 1000, 32, 100, 20, 100, 50, 100, 2, 300, 30, 3000);
        }
    }

    private static final int WARM_MIN_ROUNDS = 2;
    /** % of the server's CPU going to the JIT below which a JVM server counts as warm. */
    private static final double WARM_JIT_SHARE = 5.0;

    private final Target target;
    private final Sizes sizes;
    private final List<Long> serverPids;
    private final long mainPid;
    private final boolean jvm;
    private final long stubPid;
    private final WsClient ws;
    final Map<String, String> out = new LinkedHashMap<>();
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private int pass;

    /** @param serverPids the server's processes (one per instance); CPU is summed over them and their children if asked */
    Runner(Target target, Sizes sizes, List<Long> serverPids, boolean withChildren, boolean jvm, long stubPid,
            int threads) throws IOException {
        this.target = target;
        this.sizes = sizes;
        this.serverPids = serverPids.stream().flatMap(pid -> Proc.family(pid, withChildren).stream()).toList();
        this.mainPid = serverPids.get(0);
        this.jvm = jvm;
        this.stubPid = stubPid;
        this.ws = new WsClient(target.addresses, target.acks(), threads);
    }

    static void log(String s) {
        System.err.printf("[loadgen %tT] %s%n", System.currentTimeMillis(), s);
    }

    void put(String k, Object v) {
        out.put(k, String.valueOf(v));
    }

    void put(String k, long v) {
        out.put(k, String.valueOf(v));
    }

    void put(String k, double v) {
        out.put(k, String.format(java.util.Locale.ROOT, "%.3f", v));
    }

    // ---------------------------------------------------------------- measuring

    /** CPU of server, load generator and auth stub between start and stop, as % of one core. */
    final class Meter {
        final long wall0 = System.nanoTime();
        final long srv0 = Proc.cpuNanos(serverPids);
        final long lg0 = os.getProcessCpuTime();
        final long stub0 = Proc.cpuNanos(List.of(stubPid));
        final long jit0 = jvm ? Proc.jitNanos(mainPid) : 0;
        long srvNanos;
        /** % of the server's CPU its JIT compiler took (0 unless the server is a JVM). */
        double jitSharePct;

        void stop(String prefix) {
            double wall = System.nanoTime() - wall0;
            srvNanos = Proc.cpuNanos(serverPids) - srv0;
            put(prefix + ".wall_s", wall / 1e9);
            put(prefix + ".srv_cpu_pct", 100.0 * srvNanos / wall);
            put(prefix + ".lg_cpu_pct", 100.0 * (os.getProcessCpuTime() - lg0) / wall);
            put(prefix + ".stub_cpu_pct", 100.0 * (Proc.cpuNanos(List.of(stubPid)) - stub0) / wall);
            if (jvm) {
                jitSharePct = 100.0 * (Proc.jitNanos(mainPid) - jit0) / Math.max(1, srvNanos);
                put(prefix + ".srv_jit_share_pct", jitSharePct);
            }
        }
    }

    private List<WsClient.Conn> conns(int n, IntFunction<String[]> spec) {
        return WsClient.conns(n, i -> {
            String[] s = spec.apply(i);
            return target.handshake(s[0], s[1], s[2]);
        });
    }

    private int open(String prefix, List<WsClient.Conn> list, int inFlight, int seconds) throws InterruptedException {
        int n = ws.openAll(list, inFlight, System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds));
        put(prefix + ".opened", n);
        if (n < list.size()) {
            put(prefix + ".open_failures", ws.failures.toString().replace('\n', ' '));
            log(prefix + ": opened " + n + "/" + list.size() + " failures " + ws.failures);
        }
        return n;
    }

    /** Waits until the sockets received `expected` distinct messages, or no progress for stallSeconds, or the bound. */
    private boolean await(long expected, int maxSeconds, int stallSeconds) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(maxSeconds);
        long last = -1;
        long lastChange = System.nanoTime();
        while (System.nanoTime() < end) {
            long got = ws.uniqueTotal.sum();
            if (got >= expected) {
                return true;
            }
            if (got != last) {
                last = got;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > TimeUnit.SECONDS.toNanos(stallSeconds)) {
                return false;
            }
            Thread.sleep(5);
        }
        return false;
    }

    /** Losses, duplicates and closes, from the sockets' own counts. */
    private void integrity(String prefix, List<WsClient.Conn> list, WsClient.Stats st, long dupsBefore) {
        long loss = 0;
        long extra = 0;
        for (WsClient.Conn c : list) {
            if (!c.open && c.unique() == 0 && c.expected == 0) {
                continue;
            }
            int d = c.expected - c.unique();
            if (d > 0) {
                loss += d;
            } else {
                extra -= d;
            }
        }
        put(prefix + ".losses", loss);
        put(prefix + ".dups", st.dups + dupsBefore);
        put(prefix + ".unexpected", extra + st.stray);
        put(prefix + ".server_closes", st.closedByServer);
        if (!st.closeCodes.isEmpty()) {
            put(prefix + ".close_reasons", st.closeCodes.toString());
        }
    }

    private void closeAll(List<WsClient.Conn> list) throws InterruptedException {
        ws.closeAll(list);
        Thread.sleep(1500);
    }

    private String pfx(String name) {
        return name + "p" + (++pass) + "r" + Long.toString(System.nanoTime() % 1_000_000, 36);
    }

    private double ms(long micros) {
        return micros / 1000.0;
    }

    // ---------------------------------------------------------------- publishing

    private final AtomicLong publishErrors = new AtomicLong();
    private final Map<Integer, LongAdder> statuses = new java.util.concurrent.ConcurrentHashMap<>();

    private boolean publishOne(Http http, String key, long seq) {
        try {
            int code = http.exchange(target.publish(key, System.nanoTime(), seq), false);
            statuses.computeIfAbsent(code, k -> new LongAdder()).increment();
            return code >= 200 && code < 300;
        } catch (IOException e) {
            publishErrors.incrementAndGet();
            return false;
        }
    }

    private void publishNotes(String prefix) {
        Map<Integer, Long> s = new java.util.TreeMap<>();
        statuses.forEach((k, v) -> s.put(k, v.sum()));
        put(prefix + ".publish_statuses", s.toString());
        if (publishErrors.get() > 0) {
            put(prefix + ".publish_io_errors", publishErrors.get());
        }
        statuses.clear();
        publishErrors.set(0);
    }

    // ---------------------------------------------------------------- scenarios

    /** @param only the scenarios to run ("warm,b,s1,s2,s3,s4,s5" for all) */
    void all(java.util.Set<String> only) throws Exception {
        long t0 = System.nanoTime();
        if (only.contains("idle")) {
            idle();
        }
        if (only.contains("warm")) {
            log(target.name + ": warm-up");
            warmup("warm", WARM_MIN_ROUNDS);
            cleanup("warmup");
        }
        if (only.contains("s4")) {
            s4("s4", sizes.s4Upgrades());
            cleanup("s4");
        }
        if (only.contains("s3")) {
            s3();
            cleanup("s3");
        }
        if (only.contains("warm") && (only.contains("s3") || only.contains("s4"))) {
            // Thousands of sockets opening and closing make a JVM server recompile its hot
            // paths: through the B burst that followed them, its JIT took 13-26% of its CPU
            // (2026-12-07, memory and Redis runs), against about 0% where they did not run.
            log(target.name + ": warm-up again after the connection scenarios");
            warmup("rewarm", 1);
            cleanup("rewarm");
        }
        // B: the short bursts a backend worker sends, from one sequential publisher (each POST
        // after the previous 202), to the same socket counts as S1.
        for (int i = 0; i < sizes.s1N().length && only.contains("b"); i++) {
            s1("b." + sizes.s1N()[i], sizes.s1N()[i], sizes.burstM()[i], 0);
            cleanup("b." + sizes.s1N()[i]);
        }
        for (int i = 0; i < sizes.s1N().length && only.contains("s1"); i++) {
            s1("s1." + sizes.s1N()[i], sizes.s1N()[i], sizes.s1M()[i], sizes.s1Paced());
            cleanup("s1." + sizes.s1N()[i]);
        }
        if (only.contains("s2")) {
            s2("s2", sizes.s2Sockets(), sizes.s2Seconds());
            cleanup("s2");
        }
        if (only.contains("s5")) {
            s5("s5", sizes.s5Keys());
            cleanup("s5");
        }
        put("total_s", (System.nanoTime() - t0) / 1e9);
        put("s1.sizes", join(sizes.s1N()));
        put("s1.msgs", join(sizes.s1M()));
        put("s1.paced_msgs", sizes.s1Paced());
        put("b.msgs", join(sizes.burstM()));
        put("s2.sockets", sizes.s2Sockets());
        put("s2.seconds", sizes.s2Seconds());
        put("s3.sockets", sizes.s3Sockets());
        put("s4.upgrades", sizes.s4Upgrades());
        put("s5.keys", sizes.s5Keys());
        put("s5.per_key", sizes.s5PerKey());
        ws.close();
    }

    private static String join(int[] a) {
        StringBuilder sb = new StringBuilder();
        for (int x : a) {
            sb.append(sb.length() == 0 ? "" : ",").append(x);
        }
        return sb.toString();
    }

    /**
     * Rounds of every scenario, smaller, until the server is warm. A JVM server compiles its hot
     * paths for minutes: after the one short pass this benchmark once had, S4 ran at 1.9k
     * upgrades/s and rose to 4.4k by the sixth repetition, with the JIT still taking 15-20% of
     * the server's CPU. So a JVM server (jvm=true) gets rounds until the JIT's share of its CPU
     * in a round falls below WARM_JIT_SHARE, bounded by warmMaxSeconds; Nchan gets the minimum
     * (which warms this load generator and the auth stub as much). The log and the results
     * name the rounds and the last round's JIT share. The same again ("rewarm", one round at
     * least) after the connection scenarios S4 and S3, before the rates are measured.
     */
    private void warmup(String name, int minRounds) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(sizes.warmMaxSeconds());
        int round = 0;
        double share;
        do {
            round++;
            String prefix = name + round;
            Meter meter = new Meter();
            s1(prefix + ".s1", sizes.warmN(), sizes.warmM(), 0);
            s2(prefix + ".s2", sizes.warmS2Sockets(), sizes.warmS2Seconds());
            s4(prefix + ".s4", sizes.warmUpgrades());
            s5(prefix + ".s5", sizes.warmN());
            cleanup(prefix);
            meter.stop(prefix);
            share = meter.jitSharePct;
            if (jvm) {
                log(String.format(java.util.Locale.ROOT, "%s: JIT took %.1f%% of the server's CPU", prefix, share));
            }
        } while (round < minRounds || jvm && share > WARM_JIT_SHARE && System.nanoTime() < end);
        put(name + ".rounds", round);
        if (jvm) {
            put(name + ".last_jit_share_pct", share);
        }
    }

    /** Goctopus: what is still queued after a scenario (unacknowledged), then a clean slate. */
    private void cleanup(String prefix) {
        if (!(target instanceof Target.Goctopus g)) {
            return;
        }
        try (Http http = new Http(target.address)) {
            String authz = "Authorization: " + ((Target.Goctopus) target).authorization;
            int code = http.exchange(("GET / HTTP/1.1\r\nHost: " + target.host + "\r\n" + authz + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII), true);
            String body = http.lastBody.trim();
            int keys = body.equals("[]") || body.isEmpty() ? 0 : body.split(",").length;
            put(prefix + ".queued_keys_after", code == 200 ? String.valueOf(keys) : "status " + code);
            if (keys > 0) {
                log(prefix + ": " + keys + " keys still hold queued messages: "
                        + (body.length() > 200 ? body.substring(0, 200) + "..." : body));
                http.exchange(("DELETE / HTTP/1.1\r\nHost: " + target.host + "\r\n" + authz
                        + "\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII), true);
                put(prefix + ".deleted_after", http.lastBody.trim());
            }
        } catch (IOException e) {
            put(prefix + ".queued_keys_after", "error " + e.getMessage());
        }
    }

    /** S1: n sockets under one org key; m messages as fast as accepted, then `paced` at 5/s. */
    private void s1(String prefix, int n, int m, int paced) throws Exception {
        String p = pfx("b");
        String org = p + "-org";
        log(prefix + ": broadcast to " + n + " sockets, " + m + " messages");
        List<WsClient.Conn> list = conns(n, i -> new String[] {p + "-u" + i, org, org});
        open(prefix, list, 32, 120);
        Thread.sleep(1000);
        ws.resetCounters();
        int openNow = (int) list.stream().filter(c -> c.open).count();
        Meter meter = new Meter();
        long t0 = System.nanoTime();
        int accepted = 0;
        try (Http http = new Http(target.address)) {
            for (int s = 0; s < m; s++) {
                if (publishOne(http, org, s)) {
                    accepted++;
                }
            }
            long pubEnd = System.nanoTime();
            put(prefix + ".publish_per_s", accepted / ((pubEnd - t0) / 1e9));
            publishNotes(prefix);
            for (WsClient.Conn c : list) {
                c.expected = c.open ? accepted : 0;
            }
            long expected = (long) accepted * openNow;
            boolean all = await(expected, Math.max(60, (int) (expected / 2000)), 20);
            WsClient.Stats st = ws.snapshot();
            meter.stop(prefix);
            double secs = (st.lastRecv - t0) / 1e9;
            put(prefix + ".complete", all);
            put(prefix + ".delivered", st.unique);
            put(prefix + ".delivered_per_s", st.unique / secs);
            put(prefix + ".p50_ms", ms(st.latency.quantile(0.50)));
            put(prefix + ".p99_ms", ms(st.latency.quantile(0.99)));
            put(prefix + ".max_ms", ms(st.latency.max()));
            put(prefix + ".cpu_us_per_msg", meter.srvNanos / 1000.0 / Math.max(1, st.unique));
            settle(prefix);
            long dups = st.dups;
            long closes = st.closedByServer;
            Map<String, Long> reasons = new java.util.TreeMap<>(st.closeCodes);
            if (paced > 0) {
                log(prefix + ": paced, " + paced + " messages at 5/s");
                ws.uniqueTotal.reset();
                Meter pm = new Meter();
                long pt0 = System.nanoTime();
                int pacedAccepted = 0;
                for (int i = 0; i < paced; i++) {
                    long due = pt0 + i * 200_000_000L;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    if (publishOne(http, org, m + i)) {
                        pacedAccepted++;
                    }
                }
                publishNotes(prefix + ".paced");
                for (WsClient.Conn c : list) {
                    c.expected += c.open ? pacedAccepted : 0;
                }
                await((long) pacedAccepted * openNow, 60, 20);
                WsClient.Stats ps = ws.snapshot();
                pm.stop(prefix + ".paced");
                put(prefix + ".paced.p50_ms", ms(ps.latency.quantile(0.50)));
                put(prefix + ".paced.p99_ms", ms(ps.latency.quantile(0.99)));
                put(prefix + ".paced.max_ms", ms(ps.latency.max()));
                dups += ps.dups;
                closes += ps.closedByServer;
                ps.closeCodes.forEach((k, v) -> reasons.merge(k, v, Long::sum));
                st = ps;
            }
            st.closedByServer = closes;
            st.closeCodes.clear();
            st.closeCodes.putAll(reasons);
            integrity(prefix, list, st, dups - st.dups);
        }
        closeAll(list);
    }

    /** S2: a key per socket, publishers POSTing to random keys for `seconds`. */
    private void s2(String prefix, int n, int seconds) throws Exception {
        String p = pfx("u");
        log(prefix + ": unicast, " + n + " sockets, " + sizes.s2Publishers() + " publishers, " + seconds + " s");
        List<WsClient.Conn> list = conns(n, i -> new String[] {p + "-k" + i, p + "-org", p + "-k" + i});
        open(prefix, list, 32, 120);
        Thread.sleep(1000);
        ws.resetCounters();
        AtomicIntegerArray accepted = new AtomicIntegerArray(n);
        AtomicLong seq = new AtomicLong();
        LongAdder acceptedTotal = new LongAdder();
        Meter meter = new Meter();
        long t0 = System.nanoTime();
        long end = t0 + TimeUnit.SECONDS.toNanos(seconds);
        List<Thread> threads = new ArrayList<>();
        List<Http> https = new ArrayList<>();
        for (int t = 0; t < sizes.s2Publishers(); t++) {
            Http http = new Http(target.instance(t));
            https.add(http);
            Thread th = new Thread(() -> {
                ThreadLocalRandom r = ThreadLocalRandom.current();
                long bound = 50_000_000; // bounded in count as well as time
                while (System.nanoTime() < end && bound-- > 0) {
                    int k = r.nextInt(n);
                    if (publishOne(http, p + "-k" + k, seq.getAndIncrement())) {
                        accepted.incrementAndGet(k);
                        acceptedTotal.increment();
                    } else if (publishErrors.get() > 0) {
                        try {
                            Thread.sleep(5);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
            }, "publisher-" + t);
            th.start();
            threads.add(th);
        }
        for (Thread th : threads) {
            th.join(TimeUnit.SECONDS.toMillis(seconds + 60));
        }
        double pubSecs = (System.nanoTime() - t0) / 1e9;
        https.forEach(Http::close);
        long reconnects = https.stream().mapToLong(h -> h.reconnects).sum();
        put(prefix + ".accepted", acceptedTotal.sum());
        put(prefix + ".accepted_per_s", acceptedTotal.sum() / pubSecs);
        put(prefix + ".publisher_connections", reconnects);
        publishNotes(prefix);
        long expected = 0;
        for (int i = 0; i < n; i++) {
            WsClient.Conn c = list.get(i);
            c.expected = accepted.get(i);
            expected += c.open ? c.expected : 0;
        }
        boolean all = await(expected, 120, 20);
        WsClient.Stats st = ws.snapshot();
        meter.stop(prefix);
        put(prefix + ".complete", all);
        put(prefix + ".delivered", st.unique);
        put(prefix + ".delivered_per_s", st.unique / ((st.lastRecv - t0) / 1e9));
        put(prefix + ".p50_ms", ms(st.latency.quantile(0.50)));
        put(prefix + ".p99_ms", ms(st.latency.quantile(0.99)));
        put(prefix + ".max_ms", ms(st.latency.max()));
        put(prefix + ".cpu_us_per_msg", meter.srvNanos / 1000.0 / Math.max(1, st.unique));
        integrity(prefix, list, st, 0);
        settle(prefix);
        closeAll(list);
    }

    /**
     * After the last delivery: how long the server stays busy (ACKs still being processed, say)
     * and the CPU it spends meanwhile, until a 500 ms window under 10% of a core (at most 30 s).
     */
    private void settle(String prefix) throws InterruptedException {
        long t0 = System.nanoTime();
        long cpu0 = Proc.cpuNanos(serverPids);
        long end = t0 + TimeUnit.SECONDS.toNanos(30);
        long quietAt = -1;
        while (System.nanoTime() < end) {
            long w0 = System.nanoTime();
            long c0 = Proc.cpuNanos(serverPids);
            Thread.sleep(500);
            double pct = 100.0 * (Proc.cpuNanos(serverPids) - c0) / (System.nanoTime() - w0);
            if (pct < 10) {
                quietAt = w0;
                break;
            }
        }
        put(prefix + ".busy_after_s", quietAt < 0 ? -1 : (quietAt - t0) / 1e9);
        put(prefix + ".cpu_after_ms", (Proc.cpuNanos(serverPids) - cpu0) / 1e6);
    }

    /** S3: memory added per idle websocket. */
    private void s3() throws Exception {
        String prefix = "s3";
        int n = sizes.s3Sockets();
        String p = pfx("i");
        log(prefix + ": " + n + " idle sockets");
        // A first round of n sockets, opened and closed: the server's native memory (allocator
        // arenas, compiled code) grows once on its first n sockets, which is not a per-socket cost.
        List<WsClient.Conn> first = conns(n, i -> new String[] {p + "-w" + i, p + "-org", p + "-w" + i});
        ws.openAll(first, 32, System.nanoTime() + TimeUnit.SECONDS.toNanos(180));
        closeAll(first);
        Thread.sleep(2000);
        long heap0 = liveHeapKb();
        long pss0 = Proc.pssKb(Proc.family(mainPid, serverPids.size() > 1 || !jvm));
        long rss0 = Proc.rssKb(Proc.family(mainPid, serverPids.size() > 1 || !jvm));
        List<WsClient.Conn> list = conns(n, i -> new String[] {p + "-u" + i, p + "-org", p + "-u" + i});
        ws.resetCounters();
        Meter meter = new Meter();
        int opened = open(prefix, list, 32, 180);
        meter.stop(prefix);
        Thread.sleep(2000);
        Meter idle = new Meter(); // what the open, idle sockets cost in CPU
        Thread.sleep(5000);
        idle.stop(prefix + ".idle");
        long heap1 = liveHeapKb();
        List<Long> fam = Proc.family(mainPid, serverPids.size() > 1 || !jvm);
        long pss1 = Proc.pssKb(fam);
        long rss1 = Proc.rssKb(fam);
        int still = (int) list.stream().filter(c -> c.open).count();
        put(prefix + ".still_open", still);
        put(prefix + ".pss_before_kb", pss0);
        put(prefix + ".pss_after_kb", pss1);
        put(prefix + ".rss_before_kb", rss0);
        put(prefix + ".rss_after_kb", rss1);
        if (jvm) {
            put(prefix + ".live_heap_before_kb", heap0);
            put(prefix + ".live_heap_after_kb", heap1);
        }
        long added = (pss1 - pss0) + (jvm ? heap1 - heap0 : 0);
        put(prefix + ".kb_per_socket", opened == 0 ? -1.0 : (double) added / opened);
        if (jvm) {
            put(prefix + ".native_kb_per_socket", opened == 0 ? -1.0 : (double) (pss1 - pss0) / opened);
            put(prefix + ".heap_kb_per_socket", opened == 0 ? -1.0 : (double) (heap1 - heap0) / opened);
        }
        WsClient.Stats st = ws.snapshot();
        put(prefix + ".connect_p99_ms", ms(st.connect.quantile(0.99)));
        integrity(prefix, list, st, 0);
        closeAll(list);
        Thread.sleep(2000);
    }

    /**
     * I: idle memory as an operator sees it, on a freshly started server (bench/run starts
     * one for this alone): the RSS growth from before any connect to after s3Sockets idle
     * sockets, then to after idleMax, about as many as this machine lets one process hold.
     */
    private void idle() throws Exception {
        String p = pfx("f");
        List<Long> family = Proc.family(mainPid, serverPids.size() > 1 || !jvm);
        long rss0 = Proc.rssKb(family);
        put("idle.rss_before_kb", rss0);
        List<WsClient.Conn> all = new ArrayList<>();
        for (int step : new int[] {sizes.s3Sockets(), sizes.idleMax()}) {
            int from = all.size();
            log("idle: " + step + " idle sockets on a fresh server");
            List<WsClient.Conn> more = conns(step - from,
                    i -> new String[] {p + "-u" + (from + i), p + "-org", p + "-u" + (from + i)});
            open("idle." + step, more, 32, 240);
            all.addAll(more);
            Thread.sleep(3000);
            long rss = Proc.rssKb(Proc.family(mainPid, serverPids.size() > 1 || !jvm));
            long open = all.stream().filter(c -> c.open).count();
            put("idle." + step + ".sockets", open);
            put("idle." + step + ".rss_growth_kb", rss - rss0);
            put("idle." + step + ".kb_per_socket", open == 0 ? -1.0 : (double) (rss - rss0) / open);
        }
        put("idle.steps", sizes.s3Sockets() + "," + sizes.idleMax());
        closeAll(all);
    }

    /** Live heap after a full GC, KiB; 0 when the server is not a JVM. */
    private long liveHeapKb() {
        return jvm ? Proc.liveHeapKb(mainPid) : 0;
    }

    /** S4: upgrades with the auth callout, 32 in flight. */
    private void s4(String prefix, int n) throws Exception {
        String p = pfx("c");
        log(prefix + ": " + n + " upgrades, " + sizes.s4InFlight() + " in flight");
        List<WsClient.Conn> list = conns(n, i -> new String[] {p + "-u" + i, p + "-org", p + "-u" + i});
        ws.resetCounters();
        Meter meter = new Meter();
        long t0 = System.nanoTime();
        int opened = open(prefix, list, sizes.s4InFlight(), 180);
        long t1 = System.nanoTime();
        meter.stop(prefix);
        WsClient.Stats st = ws.snapshot();
        put(prefix + ".upgrades_per_s", opened / ((t1 - t0) / 1e9));
        put(prefix + ".p50_ms", ms(st.connect.quantile(0.50)));
        put(prefix + ".p99_ms", ms(st.connect.quantile(0.99)));
        put(prefix + ".failed", n - opened);
        integrity(prefix, list, st, 0);
        closeAll(list);
    }

    /** S5: keys x messages posted with nobody connected, then one socket per key. */
    private void s5(String prefix, int keys) throws Exception {
        int per = sizes.s5PerKey();
        String p = pfx("o");
        log(prefix + ": offline backlog, " + keys + " keys x " + per + " messages");
        AtomicIntegerArray accepted = new AtomicIntegerArray(keys);
        List<Thread> threads = new ArrayList<>();
        int pubs = sizes.s2Publishers();
        for (int t = 0; t < pubs; t++) {
            int first = t;
            Thread th = new Thread(() -> {
                try (Http http = new Http(target.instance(first))) {
                    for (int k = first; k < keys; k += pubs) {
                        for (int j = 0; j < per; j++) {
                            if (publishOne(http, p + "-k" + k, (long) k * per + j)) {
                                accepted.incrementAndGet(k);
                            }
                        }
                    }
                }
            }, "s5-publisher-" + t);
            th.start();
            threads.add(th);
        }
        for (Thread th : threads) {
            th.join(120_000);
        }
        publishNotes(prefix);
        Thread.sleep(1000);
        List<WsClient.Conn> list = conns(keys, i -> new String[] {p + "-k" + i, p + "-org", p + "-k" + i});
        long expected = 0;
        for (int i = 0; i < keys; i++) {
            list.get(i).expected = accepted.get(i);
            expected += accepted.get(i);
        }
        put(prefix + ".accepted", expected);
        ws.resetCounters();
        Meter meter = new Meter();
        long t0 = System.nanoTime();
        open(prefix, list, sizes.s4InFlight(), 120);
        boolean all = await(expected, 120, 20);
        WsClient.Stats st = ws.snapshot();
        meter.stop(prefix);
        put(prefix + ".complete", all);
        put(prefix + ".drain_s", (st.lastRecv - t0) / 1e9);
        put(prefix + ".delivered", st.unique);
        integrity(prefix, list, st, 0);
        closeAll(list);
    }

    void write(Path file) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("target=").append(target.name).append('\n');
        out.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        Files.writeString(file, sb.toString());
    }
}
