package org.goctopus.support;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Polls a condition until it holds: tests wait on conditions, never on fixed sleeps. */
public final class Await {

    private Await() {
    }

    public static void until(BooleanSupplier condition) {
        until(Duration.ofSeconds(10), condition);
    }

    /** Until what {@code probe} sees satisfies {@code holds}; a failure tells what it saw last. */
    public static <T> void until(Supplier<T> probe, Predicate<? super T> holds) {
        AtomicReference<T> seen = new AtomicReference<>();
        try {
            until(() -> {
                seen.set(probe.get());
                return holds.test(seen.get());
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last seen: " + seen.get(), e);
        }
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
