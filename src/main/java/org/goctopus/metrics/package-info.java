/** The Prometheus metrics behind {@code /metrics}. */
package org.goctopus.metrics;
