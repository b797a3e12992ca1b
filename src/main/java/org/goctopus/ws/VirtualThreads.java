package org.goctopus.ws;

import java.util.Optional;
import java.util.concurrent.ThreadFactory;

/** Virtual threads where the JVM has them (Java 21+), found by reflection: the WAR targets Java 17. */
final class VirtualThreads {

    private static final Optional<ThreadFactory> FACTORY = lookUp();

    private VirtualThreads() {
    }

    static boolean available() {
        return FACTORY.isPresent();
    }

    static Optional<ThreadFactory> factory() {
        return FACTORY;
    }

    private static Optional<ThreadFactory> lookUp() {
        try {
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            Object factory = Class.forName("java.lang.Thread$Builder").getMethod("factory").invoke(builder);
            return Optional.of((ThreadFactory) factory);
        } catch (ReflectiveOperationException e) {
            return Optional.empty(); // Java 17
        }
    }
}
