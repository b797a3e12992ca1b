package bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The soak (bench/soak): rounds of connect / publish / ACK / disconnect churn for a number
 * of minutes, with a sample each minute of the service's live heap after a full GC and its
 * RSS. Each round opens {@value #SOCKETS} sockets, each with a key of its own (new every
 * round, so keys come and go) and one shared organization key; publishes one message to
 * each socket's key, {@value #ORG_MESSAGES} to the organization (a fan-out to every
 * socket) and {@value #OFFLINE} to keys nobody holds (they expire: the service runs with a
 * short WS_MSG_EXPIRE); waits until every socket has all of its messages (ACKed as they
 * come); and closes every socket. "Flat" means the heap's least-squares slope over the
 * last 20 samples stays under 1 MB per 20 minutes.
 */
final class Soak {
    static final int SOCKETS = 200;
    static final int ORG_MESSAGES = 5;
    static final int OFFLINE = 50;
    private static final int FLAT_WINDOW = 20;
    private static final double FLAT_MB = 1.0;

    record Sample(int minute, long heapKb, long rssKb, long rounds, long delivered, long losses, long dups) {
    }

    private final Target target;
    private final long pid;
    private final WsClient ws;
    private final List<Sample> samples = new ArrayList<>();
    private long rounds;
    private long delivered;
    private long losses;
    private long dups;

    Soak(Target target, long pid) throws IOException {
        this.target = target;
        this.pid = pid;
        this.ws = new WsClient(target.addresses, target.acks(), 2);
    }

    void run(int minutes, Path dir) throws Exception {
        long start = System.nanoTime();
        samples.add(sample(0));
        for (int minute = 1; minute <= minutes; minute++) {
            long end = start + TimeUnit.MINUTES.toNanos(minute);
            while (System.nanoTime() < end) {
                round();
            }
            samples.add(sample(minute));
            Sample s = samples.get(samples.size() - 1);
            Runner.log(String.format(Locale.ROOT, "soak minute %d: heap %.1f MB, RSS %.1f MB, %d rounds, %d lost",
                    minute, s.heapKb() / 1024.0, s.rssKb() / 1024.0, s.rounds(), s.losses()));
        }
        Files.writeString(dir.resolve("soak.md"), table());
        Files.writeString(dir.resolve("soak.svg"), chart());
    }

    private Sample sample(int minute) {
        return new Sample(minute, Proc.liveHeapKb(pid), Proc.rssKb(List.of(pid)), rounds, delivered, losses, dups);
    }

    private void round() throws Exception {
        String p = "soak" + rounds;
        List<WsClient.Conn> list = WsClient.conns(SOCKETS, i -> target.handshake(p + "-u" + i, p + "-org", p + "-u" + i));
        ws.resetCounters();
        int opened = ws.openAll(list, 32, System.nanoTime() + TimeUnit.SECONDS.toNanos(30));
        try (Http http = new Http(target.address)) {
            for (int i = 0; i < SOCKETS; i++) {
                publish(http, p + "-u" + i, 1000 + i);
                list.get(i).expected = 1 + ORG_MESSAGES;
            }
            for (int j = 0; j < ORG_MESSAGES; j++) {
                publish(http, p + "-org", j);
            }
            for (int j = 0; j < OFFLINE; j++) {
                publish(http, p + "-offline" + j, j);
            }
        }
        long expected = (long) opened * (1 + ORG_MESSAGES);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (ws.uniqueTotal.sum() < expected && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        WsClient.Stats st = ws.snapshot();
        delivered += st.unique;
        dups += st.dups;
        for (WsClient.Conn c : list) {
            losses += Math.max(0, c.expected - c.unique());
        }
        losses += (long) (SOCKETS - opened) * (1 + ORG_MESSAGES);
        ws.closeAll(list);
        rounds++;
    }

    private void publish(Http http, String key, long seq) throws IOException {
        int code = http.exchange(target.publish(key, System.nanoTime(), seq), false);
        if (code != 202) {
            throw new IOException("publish answered " + code);
        }
    }

    /** Least-squares slope of the heap over the last FLAT_WINDOW samples, MB per FLAT_WINDOW minutes. */
    double slopeMbPerWindow() {
        List<Sample> last = samples.subList(Math.max(0, samples.size() - FLAT_WINDOW - 1), samples.size());
        double n = last.size();
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (Sample s : last) {
            sx += s.minute();
            sy += s.heapKb() / 1024.0;
            sxx += (double) s.minute() * s.minute();
            sxy += s.minute() * (s.heapKb() / 1024.0);
        }
        double slope = (n * sxy - sx * sy) / Math.max(1e-9, n * sxx - sx * sx);
        return slope * FLAT_WINDOW;
    }

    private String table() {
        StringBuilder md = new StringBuilder();
        double slope = slopeMbPerWindow();
        md.append(String.format(Locale.ROOT, "Heap after a full GC: slope over the last %d minutes %+.2f MB (%s: under %.0f MB)."
                        + " Rounds %d, messages delivered %d, lost %d, duplicates %d.%n%n", FLAT_WINDOW, slope,
                Math.abs(slope) < FLAT_MB ? "flat" : "NOT flat", FLAT_MB, rounds, delivered, losses, dups));
        md.append("| minute | live heap after GC (MB) | RSS (MB) | rounds so far | delivered so far | lost so far |\n");
        md.append("|---:|---:|---:|---:|---:|---:|\n");
        for (Sample s : samples) {
            md.append(String.format(Locale.ROOT, "| %d | %.1f | %.1f | %d | %d | %d |%n", s.minute(), s.heapKb() / 1024.0,
                    s.rssKb() / 1024.0, s.rounds(), s.delivered(), s.losses()));
        }
        return md.toString();
    }

    /** Heap and RSS over the minutes, two lines on one chart, each scaled to its own maximum. */
    private String chart() {
        int w = 720, h = 320, left = 60, right = 60, top = 30, bottom = 40;
        double maxHeap = samples.stream().mapToLong(Sample::heapKb).max().orElse(1) / 1024.0 * 1.2;
        double maxRss = samples.stream().mapToLong(Sample::rssKb).max().orElse(1) / 1024.0 * 1.2;
        int minutes = Math.max(1, samples.get(samples.size() - 1).minute());
        StringBuilder heap = new StringBuilder();
        StringBuilder rss = new StringBuilder();
        for (Sample s : samples) {
            double x = left + (w - left - right) * (double) s.minute() / minutes;
            heap.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, top + (h - top - bottom) * (1 - s.heapKb() / 1024.0 / maxHeap)));
            rss.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, top + (h - top - bottom) * (1 - s.rssKb() / 1024.0 / maxRss)));
        }
        return String.format(Locale.ROOT, """
                <svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="12">
                  <rect width="100%%" height="100%%" fill="white"/>
                  <text x="%d" y="18">soak: live heap after a full GC (blue, left axis) and RSS (orange, right axis), per minute</text>
                  <line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#999"/>
                  <line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#999"/>
                  <text x="4" y="%d">%.0f MB</text><text x="4" y="%d">0</text>
                  <text x="%d" y="%d">%.0f MB</text>
                  <text x="%d" y="%d">minute 0</text><text x="%d" y="%d">minute %d</text>
                  <polyline fill="none" stroke="#1f5fbf" stroke-width="2" points="%s"/>
                  <polyline fill="none" stroke="#e07b00" stroke-width="2" points="%s"/>
                </svg>
                """, w, h, left, left, h - bottom, w - right, h - bottom, left, top, left, h - bottom,
                top + 4, maxHeap, h - bottom, w - right + 4, top + 4, maxRss, left, h - bottom + 16, w - right - 50,
                h - bottom + 16, minutes, heap.toString().trim(), rss.toString().trim());
    }
}
