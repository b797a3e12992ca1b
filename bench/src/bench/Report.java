package bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The Markdown table: goctopus, nchan, ratio goctopus/nchan, target, met. */
final class Report {
    private final Map<String, String> g;
    private final Map<String, String> n;
    private final StringBuilder sb = new StringBuilder();
    private int met;
    private int notMet;

    private Report(Map<String, String> g, Map<String, String> n) {
        this.g = g;
        this.n = n;
    }

    static Map<String, String> load(Path p) throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        if (!Files.exists(p)) {
            return m;
        }
        for (String line : Files.readAllLines(p)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                m.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return m;
    }

    static String render(Path goctopus, Path nchan) throws IOException {
        return new Report(load(goctopus), load(nchan)).render();
    }

    private static Double num(Map<String, String> m, String k) {
        String v = m.get(k);
        if (v == null) {
            return null;
        }
        try {
            double d = Double.parseDouble(v);
            return d < 0 ? null : d;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String fmt(Double d) {
        if (d == null) {
            return "n/a";
        }
        double a = Math.abs(d);
        if (a >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", d);
        }
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", d);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", d);
        }
        return String.format(Locale.ROOT, "%.2f", d);
    }

    /** kind: ">=" ratio at least bound, "<=" ratio at most bound, "abs<=" goctopus value at most bound, "" none. */
    private void row(String figure, String key, String kind, double bound) {
        Double a = num(g, key);
        Double b = num(n, key);
        Double ratio = a != null && b != null && b != 0 ? a / b : null;
        String target = "";
        String ok = "";
        switch (kind) {
            case ">=" -> {
                target = "≥ " + bound + "×";
                ok = ratio == null ? "n/a" : ratio >= bound ? "met" : "**not met**";
            }
            case "<=" -> {
                target = "≤ " + bound + "×";
                ok = ratio == null ? "n/a" : ratio <= bound ? "met" : "**not met**";
            }
            case "abs<=" -> {
                target = "≤ " + fmt(bound) + " (goctopus)";
                ok = a == null ? "n/a" : a <= bound ? "met" : "**not met**";
            }
            default -> {
            }
        }
        if (ok.equals("met")) {
            met++;
        } else if (ok.contains("not met")) {
            notMet++;
        }
        sb.append("| ").append(figure).append(" | ").append(fmt(a)).append(" | ").append(fmt(b)).append(" | ")
                .append(ratio == null ? "n/a" : String.format(Locale.ROOT, "%.2f×", ratio)).append(" | ")
                .append(target).append(" | ").append(ok).append(" |\n");
    }

    private String v(Map<String, String> m, String k, String dflt) {
        return m.getOrDefault(k, dflt);
    }

    private String render() {
        String[] sizes = v(g, "s1.sizes", v(n, "s1.sizes", "")).split(",");
        String[] msgs = v(g, "s1.msgs", v(n, "s1.msgs", "")).split(",");
        String[] bursts = v(g, "b.msgs", v(n, "b.msgs", "")).split(",");
        sb.append("| scenario / figure | goctopus | nchan | ratio | target | |\n");
        sb.append("|---|---:|---:|---:|---|---|\n");
        for (int i = 0; i < sizes.length && i < bursts.length && !bursts[i].isEmpty(); i++) {
            String p = "b." + sizes[i];
            String label = "B short burst N=" + sizes[i] + " (" + bursts[i] + " msgs, one sequential publisher)";
            row(label + ": delivered msgs/s", p + ".delivered_per_s", ">=", 1.0);
            row(label + ": latency p50 ms", p + ".p50_ms", "", 0);
            row(label + ": latency p99 ms", p + ".p99_ms", "", 0);
            row(label + ": server CPU µs/delivered msg (ACK read included)", p + ".cpu_us_per_msg", "<=", 1.5);
        }
        for (int i = 0; i < sizes.length && !sizes[i].isEmpty(); i++) {
            String s = sizes[i];
            String p = "s1." + s;
            String label = "S1 broadcast N=" + s + " (" + msgs[i] + " msgs)";
            row(label + ": delivered msgs/s", p + ".delivered_per_s", ">=", 1.0);
            row(label + ": latency p50 ms", p + ".p50_ms", "", 0);
            row(label + ": latency p99 ms", p + ".p99_ms", "", 0);
            row(label + ": server CPU µs/delivered msg", p + ".cpu_us_per_msg", "<=", 1.0);
            String paced = "S1 paced 5 msg/s N=" + s + " (" + v(g, "s1.paced_msgs", "?") + " msgs)";
            row(paced + ": latency p50 ms", p + ".paced.p50_ms", "", 0);
            row(paced + ": latency p99 ms", p + ".paced.p99_ms", "<=", 1.0);
        }
        String s2 = "S2 unicast " + v(g, "s2.sockets", "?") + " keys, 16 publishers, " + v(g, "s2.seconds", "?") + " s";
        row(s2 + ": accepted POST/s", "s2.accepted_per_s", ">=", 1.0);
        row(s2 + ": delivered msgs/s", "s2.delivered_per_s", "", 0);
        row(s2 + ": latency p50 ms", "s2.p50_ms", "", 0);
        row(s2 + ": latency p99 ms", "s2.p99_ms", "<=", 1.5);
        row(s2 + ": server CPU µs/delivered msg", "s2.cpu_us_per_msg", "", 0);
        for (String step : v(g, "idle.steps", v(n, "idle.steps", "")).split(",")) {
            if (!step.isEmpty()) {
                String label = "I idle sockets on a fresh process, " + step + " asked ("
                        + v(g, "idle." + step + ".sockets", "?") + " / " + v(n, "idle." + step + ".sockets", "?") + " open)";
                row(label + ": RSS growth KB per socket", "idle." + step + ".kb_per_socket", "<=", 1.0);
            }
        }
        String s3 = "S3 idle sockets (" + v(g, "s3.sockets", "?") + ", after a first round): KB added per socket";
        row(s3, "s3.kb_per_socket", "", 0);
        row("S3 idle sockets: sockets open", "s3.opened", "", 0);
        String s4 = "S4 connect " + v(g, "s4.upgrades", "?") + " upgrades, 32 in flight";
        row(s4 + ": upgrades/s", "s4.upgrades_per_s", ">=", 1.0);
        row(s4 + ": connect p50 ms", "s4.p50_ms", "", 0);
        row(s4 + ": connect p99 ms", "s4.p99_ms", "", 0);
        String s5 = "S5 offline backlog " + v(g, "s5.keys", "?") + " keys × " + v(g, "s5.per_key", "?");
        row(s5 + ": time until all received, s", "s5.drain_s", "<=", 1.0);
        sb.append('\n').append("Targets met: ").append(met).append(", not met: ").append(notMet)
                .append(". Ratio = goctopus / nchan.\n\n");

        sb.append("Integrity and CPU per scenario (losses / duplicates / unexpected frames / server closes; "
                + "CPU in % of one core over the scenario's wall time, 2 cores = 200%: server, load generator, auth stub; "
                + "for goctopus, the server's figure says in brackets how much of it its JIT compiler took):\n\n");
        sb.append("| scenario | goctopus loss/dup/unexp/closes | goctopus CPU srv/lg/stub | nchan loss/dup/unexp/closes | nchan CPU srv/lg/stub |\n");
        sb.append("|---|---|---|---|---|\n");
        java.util.List<String> scen = new java.util.ArrayList<>();
        for (int i = 0; i < sizes.length && i < bursts.length && !bursts[i].isEmpty(); i++) {
            scen.add("b." + sizes[i]);
        }
        for (String s : sizes) {
            if (!s.isEmpty()) {
                scen.add("s1." + s);
                scen.add("s1." + s + ".paced");
            }
        }
        scen.addAll(java.util.List.of("s2", "s3", "s3.idle", "s4", "s5"));
        for (String s : scen) {
            String base = s.endsWith(".paced") ? s.substring(0, s.length() - 6)
                    : s.endsWith(".idle") ? s.substring(0, s.length() - 5) : s;
            sb.append("| ").append(s).append(" | ").append(integrity(g, base)).append(" | ").append(cpu(g, s))
                    .append(" | ").append(integrity(n, base)).append(" | ").append(cpu(n, s)).append(" |\n");
        }
        sb.append('\n');
        for (String s : scen) {
            for (Map<String, String> m : java.util.List.of(g, n)) {
                Double lg = num(m, s + ".lg_cpu_pct");
                if (lg != null && lg > 80) {
                    sb.append("- ").append(m == g ? "goctopus" : "nchan").append(", ").append(s)
                            .append(": the load generator took ").append(fmt(lg))
                            .append("% of a core: the rates there are lower bounds\n");
                }
            }
        }
        sb.append('\n');
        notes("goctopus", g);
        notes("nchan", n);
        return sb.toString();
    }

    private String integrity(Map<String, String> m, String s) {
        if (!m.containsKey(s + ".losses")) {
            return "n/a";
        }
        return v(m, s + ".losses", "?") + " / " + v(m, s + ".dups", "?") + " / " + v(m, s + ".unexpected", "?")
                + " / " + v(m, s + ".server_closes", "?");
    }

    private String cpu(Map<String, String> m, String s) {
        if (!m.containsKey(s + ".srv_cpu_pct")) {
            return "n/a";
        }
        String jit = m.containsKey(s + ".srv_jit_share_pct")
                ? " (JIT " + fmt(num(m, s + ".srv_jit_share_pct")) + "%)" : "";
        return fmt(num(m, s + ".srv_cpu_pct")) + "%" + jit + " / " + fmt(num(m, s + ".lg_cpu_pct")) + "% / "
                + fmt(num(m, s + ".stub_cpu_pct")) + "%";
    }

    /** Anything that went wrong: failed opens, close reasons, non-2xx publishes, incomplete scenarios, leftovers. */
    private void notes(String name, Map<String, String> m) {
        StringBuilder b = new StringBuilder();
        m.forEach((k, val) -> {
            boolean bad = k.endsWith(".open_failures") || k.endsWith(".close_reasons")
                    || k.endsWith(".publish_io_errors")
                    || (k.endsWith(".complete") && !val.equals("true"))
                    || (k.endsWith(".queued_keys_after") && !val.equals("0"))
                    || (k.endsWith(".publish_statuses") && !java.util.Arrays.stream(val.split(" \\| "))
                            .allMatch(run -> run.matches("\\{(20[012]=\\d+(, )?)*\\}")))
                    || (k.endsWith(".losses") && !val.equals("0"))
                    || (k.endsWith(".dups") && !val.equals("0"));
            if (bad) {
                b.append("- ").append(k).append(" = ").append(val).append('\n');
            }
        });
        sb.append("Notes, ").append(name).append(m.isEmpty() ? " (no results)" : "").append(":");
        sb.append(b.length() == 0 ? " nothing abnormal.\n" : "\n" + b);
        StringBuilder busy = new StringBuilder();
        m.forEach((k, val) -> {
            if (k.endsWith(".busy_after_s") && !k.startsWith("warm") && !k.startsWith("rewarm")) {
                String p = k.substring(0, k.length() - ".busy_after_s".length());
                busy.append(busy.length() == 0 ? "" : "; ").append(p).append(' ')
                        .append(val.startsWith("-") ? "> 30" : fmt(num(m, k))).append(" s, ")
                        .append(fmt(num(m, p + ".cpu_after_ms"))).append(" ms CPU");
            }
        });
        if (busy.length() > 0) {
            sb.append("- server still busy after the last delivery (until under 10% of a core): ").append(busy).append('\n');
        }
        if (m.containsKey("s3.heap_kb_per_socket")) {
            sb.append("- S3 split: ").append(m.get("s3.heap_kb_per_socket")).append(" KB live heap + ")
                    .append(m.get("s3.native_kb_per_socket")).append(" KB native (PSS) per socket\n");
        }
        sb.append('\n');
    }
}
