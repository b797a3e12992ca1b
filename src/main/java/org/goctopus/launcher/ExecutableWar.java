package org.goctopus.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * {@code java -jar goctopus.war}: the WAR's {@code Main-Class}, as in Jenkins' executable
 * WAR. It is the only class at the WAR's root, where a servlet container neither loads it
 * nor serves it (the application maps every path). It unpacks the WAR into a temporary
 * directory and runs {@link Launcher} from there, whose classes and embedded Tomcat sit in
 * {@code WEB-INF/launcher/}: a folder containers ignore, so the same WAR deploys unchanged.
 * They get a class loader of their own, beside the JDK's, so that nothing of the launcher
 * leaks into the application, which Tomcat loads from the unpacked WAR as a standalone
 * server would.
 */
public final class ExecutableWar {

    static final String LAUNCHER = "WEB-INF/launcher/";

    private ExecutableWar() {
    }

    public static void main(String[] args) throws Exception {
        Path war = Path.of(ExecutableWar.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path unpacked = Files.createTempDirectory("goctopus-");
        try {
            unzip(war, unpacked);
            ClassLoader loader = new URLClassLoader(
                    classpath(unpacked.resolve(LAUNCHER + "classes"), unpacked.resolve(LAUNCHER + "lib")),
                    ClassLoader.getPlatformClassLoader());
            Thread.currentThread().setContextClassLoader(loader);
            // By name: this class's loader must not load the launcher, which needs Tomcat.
            Class.forName("org.goctopus.launcher.Launcher", true, loader)
                    .getMethod("run", Path.class, String[].class)
                    .invoke(null, unpacked, args);
        } catch (Exception | Error e) {
            deleteTree(unpacked);
            throw e;
        }
    }

    /** A directory of classes, then the jars of a directory, as a class loader's path. */
    static URL[] classpath(Path classes, Path jarDirectory) throws IOException {
        List<URL> urls = new ArrayList<>();
        urls.add(classes.toUri().toURL());
        try (Stream<Path> jars = Files.list(jarDirectory)) {
            for (Path jar : jars.sorted().toList()) {
                urls.add(jar.toUri().toURL());
            }
        }
        return urls.toArray(URL[]::new);
    }

    /** Extracts every entry of {@code archive} under {@code into} (none may point outside it). */
    public static void unzip(Path archive, Path into) throws IOException {
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                Path target = into.resolve(entry.getName()).normalize();
                if (!target.startsWith(into)) {
                    throw new IOException("entry outside the archive: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    try (InputStream in = zip.getInputStream(entry)) {
                        Files.copy(in, target);
                    }
                }
            }
        }
    }

    /** Removes the unpacked WAR; the launcher's shutdown hook calls it once Tomcat has stopped. */
    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
