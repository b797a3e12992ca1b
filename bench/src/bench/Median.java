package bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One results file from several runs of the same server: each measured figure is the median
 * of the runs, so that one noisy run on a shared machine moves nothing. What counts a fault
 * is never a median: losses, duplicates, unexpected frames, closes and failures are summed,
 * a scenario is complete only if it was in every run, and a text (close reasons, statuses)
 * keeps every distinct value seen, joined by " | ".
 */
final class Median {
    private static final List<String> SUMMED = List.of(".losses", ".dups", ".unexpected", ".server_closes",
            ".open_failures", ".publish_io_errors", ".queued_keys_after");

    private Median() {
    }

    static void merge(Path out, List<Path> runs) throws IOException {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (Path run : runs) {
            Report.load(run).forEach((k, v) -> values.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
        }
        StringBuilder sb = new StringBuilder("runs=").append(runs.size()).append('\n');
        values.forEach((k, vs) -> sb.append(k).append('=').append(merged(k, vs, runs.size())).append('\n'));
        Files.writeString(out, sb);
    }

    private static String merged(String key, List<String> vs, int runs) {
        if (key.endsWith(".complete")) {
            return vs.size() == runs && vs.stream().allMatch("true"::equals) ? "true" : String.join(",", vs);
        }
        List<Double> numbers = new ArrayList<>();
        for (String v : vs) {
            try {
                numbers.add(Double.parseDouble(v));
            } catch (NumberFormatException e) {
                Set<String> distinct = new LinkedHashSet<>(vs);
                return String.join(" | ", distinct);
            }
        }
        if (SUMMED.stream().anyMatch(key::endsWith)) {
            return whole(numbers.stream().mapToDouble(Double::doubleValue).sum());
        }
        if (numbers.stream().anyMatch(d -> d < 0)) {
            return "-1"; // a figure a run could not measure: not measured
        }
        List<Double> sorted = numbers.stream().sorted().toList();
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        return whole(median);
    }

    /** A count stays a count (the report prints "1000 keys", not "1000.0 keys"). */
    private static String whole(double d) {
        return d == Math.rint(d) && Math.abs(d) < Long.MAX_VALUE ? Long.toString((long) d) : Double.toString(d);
    }
}
