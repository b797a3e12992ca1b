package org.goctopus.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What a fresh service exports before anything happened. */
class MetricsTest {

    /** A dashboard or an alert on a labelled series sees 0 from start-up, not "no data". */
    @Test
    void everyAuthFailureStatusIsExportedAtZeroFromStartUp() {
        String text = new Metrics().scrape();
        for (String status : new String[] {"401", "403", "503"}) {
            assertTrue(text.contains("goctopus_auth_failures_total{status=\"" + status + "\"} 0.0"), text);
        }
    }

    /**
     * The README's /metrics row names every series an operator can scrape, the Redis link's
     * included: a series added without it would be found only by reading the code.
     */
    @Test
    void theReadmeNamesEverySeries() throws IOException {
        Metrics metrics = new Metrics();
        metrics.gauges(() -> 0, () -> 0, () -> 0);
        metrics.redisLink(() -> 1, List.of("publish"));
        Set<String> exported = new TreeSet<>();
        for (String line : metrics.scrape().split("\n")) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                exported.add(line.replaceAll("[{ ].*", "").replaceAll("_(bucket|count|sum)$", ""));
            }
        }
        Set<String> documented = documented(Files.readString(Path.of("README.md")));
        exported.removeAll(documented);
        assertEquals(Set.of(), exported, "series the README does not name");
    }

    /** Every {@code goctopus_…} name in the README, {@code a_{b,c}_d} read as a_b_d and a_c_d. */
    private static Set<String> documented(String readme) {
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("goctopus_([a-z_]*)(?:\\{([a-z_,]+)\\}([a-z_]*))?").matcher(readme);
        while (m.find()) {
            if (m.group(2) == null || !m.group(2).contains(",")) {
                names.add("goctopus_" + m.group(1));
                continue;
            }
            for (String part : m.group(2).split(",")) {
                names.add("goctopus_" + m.group(1) + part + m.group(3));
            }
        }
        return names;
    }
}
