package org.goctopus.launcher;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * {@code java -jar target/goctopus-launcher.jar [--dev]}: the service on an
 * embedded Tomcat at WS_HOST:WS_PORT (default 0.0.0.0:7890), serving the exploded
 * WAR beside the jar. SIGTERM undeploys it: every socket is closed with 1001.
 *
 * <p>{@code --dev} fills in a development configuration for whatever is not set:
 * the dummy authorizer giving every connection the key {@code demo}, and API
 * credentials {@code demo:demo}.
 */
public final class Launcher {

    static final Map<String, String> DEVELOPMENT = Map.of(
            "WS_AUTHORIZER", "dummy",
            "WS_AUTH_URL", "demo",
            "WS_LOGIN", "demo",
            "WS_PASSWORD", "demo");

    private Launcher() {
    }

    public static void main(String[] args) throws Exception {
        // One line per log record, before anything logs.
        System.setProperty("java.util.logging.SimpleFormatter.format",
                "%1$tFT%1$tT.%1$tL %4$s %3$s: %5$s%6$s%n");
        // Lets the auth call forward Origin (the JDK's HTTP client drops it otherwise).
        jvmDefault("sun.net.http.allowRestrictedHeaders", "true");
        // Tomcat's per-socket frame buffers (input, output, text encoder: 8 KB each by default,
        // JVM-wide). Inbound frames are tiny ACKs; longer outbound messages go out as several
        // frames of one message. See tomcat-conf/bin/setenv.sh.
        jvmDefault("org.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE", "1024");
        // Virtual threads (Java 21+) run the batched websocket writes and, when asked for
        // (EmbeddedServer), Tomcat's request work: one carrier more than the cores. With request
        // work on one carrier per core (the JDK's default), a carrier the OS preempted left
        // publishes queued behind websocket work (the benchmark's S2 p99 went from 18 to 60-100
        // ms on two cores), and two more cost broadcasts 30-50% of their rate.
        jvmDefault("jdk.virtualThreadScheduler.parallelism",
                Integer.toString(Runtime.getRuntime().availableProcessors() + 1));
        // The JDK keeps 5 idle connections per host for the auth call (HttpURLConnection under
        // jersey-client): with more calls under way at once, most opened a new connection (S4 in
        // the benchmark: 2.2-2.6k upgrades/s, 3.3k with as many kept as may be under way).
        jvmDefault("http.maxConnections", authMaxInflight());
        if (Arrays.asList(args).contains("--dev")) {
            DEVELOPMENT.forEach(Launcher::setIfUnset);
            System.err.println("development mode: dummy authorizer (key \"demo\"), API credentials demo:demo");
        }
        String host = setting("WS_HOST", "0.0.0.0");
        int port;
        try {
            port = Integer.parseInt(setting("WS_PORT", "7890"));
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            System.err.println("configuration: WS_PORT=\"" + setting("WS_PORT", "") + "\": not a port (1-65535)");
            System.exit(2);
            return;
        }
        Path war = explodedWar();
        EmbeddedServer server;
        try {
            server = EmbeddedServer.at(war).listen(host, port).start();
        } catch (IllegalStateException e) {
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "goctopus-shutdown"));
        String threads = EmbeddedServer.VIRTUAL_THREADS
                ? "virtual threads, " + System.getProperty("jdk.virtualThreadScheduler.parallelism") + " carriers"
                : "a thread pool";
        System.err.println("goctopus listening on http://" + host + ":" + server.port() + "/ (Java "
                + Runtime.version().feature() + ", request work on " + threads + ")");
        server.await();
    }

    /** System property, then environment, then the default: the order the application uses. */
    private static String setting(String name, String fallback) {
        String value = System.getProperty(name, System.getenv(name));
        return value == null ? fallback : value.trim();
    }

    /** WS_AUTH_MAX_INFLIGHT as a count; a bad value is the application's to report. */
    private static String authMaxInflight() {
        String value = setting("WS_AUTH_MAX_INFLIGHT", "");
        return value.matches("[1-9][0-9]{0,5}") ? value : "64";
    }

    /** A JVM property the JDK or Tomcat reads (never from the environment), unless given. */
    private static void jvmDefault(String name, String value) {
        if (System.getProperty(name) == null) {
            System.setProperty(name, value);
        }
    }

    /** A setting, unless given as a system property or in the environment. */
    private static void setIfUnset(String name, String value) {
        if (System.getProperty(name) == null && System.getenv(name) == null) {
            System.setProperty(name, value);
        }
    }

    /** The WAR as Maven explodes it: {@code target/goctopus}, beside this jar. */
    private static Path explodedWar() throws URISyntaxException {
        Path jar = Path.of(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path war = jar.getParent().resolve("goctopus");
        if (!Files.isDirectory(war.resolve("WEB-INF"))) {
            throw new IllegalStateException("no exploded WAR at " + war + ": run mvn package first");
        }
        return war;
    }
}
