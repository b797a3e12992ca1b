package org.goctopus.ws;

import java.lang.reflect.Method;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Virtual threads where the JVM has them (Java 21+), found by reflection: the WAR targets Java 17. */
final class VirtualThreads {

    private static final Optional<Method> NEW_EXECUTOR = lookUp();

    private VirtualThreads() {
    }

    static boolean available() {
        return NEW_EXECUTOR.isPresent();
    }

    /** A new executor that runs each task on a virtual thread of its own, where the JVM has them. */
    static Optional<ExecutorService> newPerTaskExecutor() {
        return NEW_EXECUTOR.map(method -> {
            try {
                return (ExecutorService) method.invoke(null);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static Optional<Method> lookUp() {
        try {
            return Optional.of(Executors.class.getMethod("newVirtualThreadPerTaskExecutor"));
        } catch (NoSuchMethodException e) {
            return Optional.empty(); // Java 17
        }
    }
}
