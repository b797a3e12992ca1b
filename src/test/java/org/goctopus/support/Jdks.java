package org.goctopus.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The JDKs on this machine beside the one running the build (which targets Java 17). */
public final class Jdks {

    private Jdks() {
    }

    /** A JDK home of release 21 or later: JAVA21_HOME, else the newest in /usr/lib/jvm; null if none. */
    public static Path home21OrLater() throws IOException {
        List<Path> homes = new ArrayList<>();
        String configured = System.getenv("JAVA21_HOME");
        if (configured != null) {
            homes.add(Path.of(configured));
        }
        Path jvms = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(jvms)) {
            try (var listing = Files.list(jvms)) {
                listing.sorted(Comparator.comparingInt(Jdks::release).reversed()).forEach(homes::add);
            }
        }
        return homes.stream().filter(home -> release(home) >= 21)
                .filter(home -> Files.isExecutable(home.resolve("bin").resolve("java")))
                .findFirst().orElse(null);
    }

    private static int release(Path home) {
        try {
            for (String line : Files.readAllLines(home.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=")) {
                    return Runtime.Version.parse(line.substring(13).replace("\"", "")).feature();
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            // not a JDK
        }
        return 0;
    }
}
