package org.goctopus.core;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The service's own threads: named for thread dumps, and daemons, so that none holds a JVM open. */
public final class DaemonThreads {

    private DaemonThreads() {
    }

    /** Threads named {@code prefix-1}, {@code prefix-2}, ... */
    public static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + "-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Named threads of one long-lived executor, which its owner waits for when it stops. */
    public static Owned owned(String prefix) {
        return new Owned(named(prefix));
    }

    /**
     * The threads of one of the service's executors, remembered so that stopping it can wait
     * until each has ended. An executor reports itself terminated while its last thread is
     * still on its way out, and a container's leak check, which runs right after the
     * undeploy, reports such a thread as left running (seen on Tomcat 11).
     */
    public static final class Owned implements ThreadFactory {
        private final ThreadFactory named;
        private final Set<Thread> threads = ConcurrentHashMap.newKeySet();

        private Owned(ThreadFactory named) {
            this.named = named;
        }

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = named.newThread(task);
            threads.removeIf(t -> t.getState() == Thread.State.TERMINATED); // a pool replacing a thread
            threads.add(thread);
            return thread;
        }

        /** Waits, at most {@code bound} in all, until every thread made here has ended (the executor stopped). */
        public void awaitEnd(Duration bound) {
            long deadline = System.nanoTime() + bound.toNanos();
            try {
                for (Thread thread : threads) {
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (left <= 0) {
                        return;
                    }
                    thread.join(left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
