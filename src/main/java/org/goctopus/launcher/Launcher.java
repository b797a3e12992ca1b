package org.goctopus.launcher;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar goctopus.war [--dev]}: the service on an embedded Tomcat at
 * WS_HOST:WS_PORT (default 0.0.0.0:7890), serving the WAR that {@link ExecutableWar}
 * unpacked. SIGTERM undeploys it: every socket is closed with 1001.
 *
 * <p>Nothing binds before the settings are known good: a bad setting exits 2 and a port in
 * use exits 1, each with one line, so a supervisor never sees a live process that serves
 * nothing.
 */
public final class Launcher {

    /** {@code --dev}: a development configuration for whatever is not set. */
    static final Map<String, String> DEVELOPMENT = developmentSettings();

    static final String USAGE = """
            usage: java -jar goctopus.war [--dev]

              --dev    fill in a development configuration for what is not set:
                       WS_AUTHORIZER=dummy WS_AUTH_URL=demo (every websocket gets the key "demo"),
                       WS_LOGIN=demo WS_PASSWORD=demo (the backend API's credentials),
                       WS_CONSOLE=true (the console page at /console/)
              --help   print this and exit

            Settings are environment variables or -D system properties (WS_PORT, WS_AUTH_URL,
            WS_LOGIN, WS_PASSWORD, WS_TLS_CERT and WS_TLS_KEY for https and wss, ...): see the
            README's settings table.
            Exit status: 2 for a bad option or setting, 1 when the service cannot start.
            """;

    private Launcher() {
    }

    private static Map<String, String> developmentSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("WS_AUTHORIZER", "dummy");
        settings.put("WS_AUTH_URL", "demo");
        settings.put("WS_LOGIN", "demo");
        settings.put("WS_PASSWORD", "demo");
        settings.put("WS_CONSOLE", "true");
        return settings;
    }

    /** Called by {@link ExecutableWar} with the unpacked WAR, which is removed at exit. */
    public static void run(Path webapp, String[] args) throws Exception {
        // Before anything logs: a stop logs its steps (see the class).
        jvmDefault("java.util.logging.manager", LoggingThroughShutdown.class.getName());
        ShutdownHook shutdown = new ShutdownHook(webapp);
        Runtime.getRuntime().addShutdownHook(new Thread(shutdown, "goctopus-shutdown"));
        boolean dev = false;
        for (String arg : args) {
            switch (arg) {
                case "--dev" -> dev = true;
                case "--help", "-h" -> {
                    System.out.print(USAGE);
                    System.exit(0);
                }
                default -> {
                    System.err.println("unknown option: " + arg);
                    System.err.print(USAGE);
                    System.exit(2);
                }
            }
        }
        // One line per log record, before anything logs.
        jvmDefault("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tL %4$s %3$s: %5$s%6$s%n");
        if (dev) {
            System.err.println(developmentBanner(fillIn(DEVELOPMENT)));
        }
        SettingsCheck.Checked settings;
        try {
            settings = SettingsCheck.check(webapp);
        } catch (SettingsCheck.Refused e) {
            refuse(e.problems);
            return;
        }
        List<String> problems = new ArrayList<>();
        TlsFiles tls = TlsFiles.of(settings.tlsCert(), settings.tlsKey(), problems);
        if (!problems.isEmpty()) {
            refuse(problems);
            return;
        }
        String host = settings.host();
        int port = settings.port();
        if (!canBind(host, port)) {
            System.err.println("WS_PORT=" + port + ": address already in use on " + host
                    + " (another process listens there)");
            System.exit(1);
            return;
        }
        jvmDefaults(settings);
        EmbeddedServer server;
        try {
            server = EmbeddedServer.at(webapp).listen(host, port).tls(tls).start();
        } catch (IllegalStateException e) {
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        }
        shutdown.server = server;
        String threads = EmbeddedServer.VIRTUAL_THREADS
                ? "virtual threads, " + System.getProperty("jdk.virtualThreadScheduler.parallelism") + " carriers"
                : "a thread pool";
        System.err.println("goctopus listening on " + (tls == null ? "http" : "https") + "://" + host + ":" + server.port() + "/ (Java "
                + Runtime.version().feature() + ", request work on " + threads + ")");
        server.await();
    }

    /** Bad settings: one line each, exit 2. */
    private static void refuse(List<String> problems) {
        problems.forEach(problem -> System.err.println("configuration: " + problem));
        System.exit(2);
    }

    /** Closes the server, if it started, then removes the unpacked WAR. */
    private static final class ShutdownHook implements Runnable {
        private final Path webapp;
        volatile EmbeddedServer server;

        ShutdownHook(Path webapp) {
            this.webapp = webapp;
        }

        @Override
        public void run() {
            EmbeddedServer running = server;
            if (running != null) {
                running.close();
            }
            ExecutableWar.deleteTree(webapp);
        }
    }

    /** What --dev filled in, or that everything it would fill in was set. */
    static String developmentBanner(Map<String, String> filledIn) {
        if (filledIn.isEmpty()) {
            return "development mode: nothing filled in, " + String.join(", ", DEVELOPMENT.keySet()) + " are set";
        }
        List<String> parts = new ArrayList<>();
        filledIn.forEach((name, value) -> parts.add(name + "=" + value));
        String banner = "development mode: filled in " + String.join(" ", parts);
        if ("dummy".equals(setting("WS_AUTHORIZER"))) {
            banner += " (every websocket gets the keys \"" + setting("WS_AUTH_URL") + "\")";
        }
        return banner;
    }

    /** Sets each of {@code settings} not given as a system property or in the environment. */
    private static Map<String, String> fillIn(Map<String, String> settings) {
        Map<String, String> filledIn = new LinkedHashMap<>();
        settings.forEach((name, value) -> {
            if (setting(name) == null) {
                System.setProperty(name, value);
                filledIn.put(name, value);
            }
        });
        return filledIn;
    }

    /** System property, then environment, as the application reads them (blank: unset). */
    private static String setting(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            value = System.getenv(name);
        }
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** Whether nothing listens at host:port yet (Tomcat binds only after the application started). */
    private static boolean canBind(String host, int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(host, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** JVM properties the JDK or Tomcat reads, set before either reads them. */
    private static void jvmDefaults(SettingsCheck.Checked settings) {
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
        jvmDefault("http.maxConnections", Integer.toString(settings.authMaxInflight()));
    }

    /** A JVM property the JDK or Tomcat reads (never from the environment), unless given. */
    private static void jvmDefault(String name, String value) {
        if (System.getProperty(name) == null) {
            System.setProperty(name, value);
        }
    }
}
