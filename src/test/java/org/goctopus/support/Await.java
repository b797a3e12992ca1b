package org.goctopus.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a condition until it holds: tests wait on conditions, never on fixed sleeps. */
public final class Await {

    private Await() {
    }

    public static void until(BooleanSupplier condition) {
        until(Duration.ofSeconds(10), condition);
    }

    public static void until(Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout);
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
    }
}
