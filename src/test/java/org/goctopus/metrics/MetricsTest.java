package org.goctopus.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
