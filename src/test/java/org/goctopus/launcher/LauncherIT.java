package org.goctopus.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.goctopus.support.Api;
import org.goctopus.support.Await;
import org.goctopus.support.Jdks;
import org.goctopus.support.RawUpgrade;
import org.goctopus.support.StubAuthServer;
import org.goctopus.support.WsClient;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The README's run command, as a process: {@code java -jar target/goctopus-launcher.jar --dev}.
 * Runs after {@code package} (failsafe), against the jar and exploded WAR the build made.
 */
class LauncherIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void devModeServesTheReadmeExampleAndSigtermClosesSocketsWith1001() throws Exception {
        servesTheReadmeExample(List.of(javaBin()), "a thread pool",
                Runtime.version().feature() >= 21 ? "batched, on virtual threads" : "per frame");
    }

    @Test
    void onJava21AndLaterRequestWorkCanRunOnVirtualThreads() throws Exception {
        Path java = java21OrLater();
        Assumptions.assumeTrue(java != null, "no JDK 21+ in /usr/lib/jvm or JAVA21_HOME");
        // One carrier more than the cores (the child sees the cores this JVM sees).
        servesTheReadmeExample(List.of(java.toString(), "-Dgoctopus.virtualThreads=true"),
                "virtual threads, " + (Runtime.getRuntime().availableProcessors() + 1) + " carriers",
                "batched, on virtual threads");
    }

    @Test
    void authCallsUnderWayAtOnceReuseTheirConnections() throws Exception {
        int wave = 32;
        try (StubAuthServer auth = new StubAuthServer()) {
            int port = freePort();
            Path log = Files.createTempFile("launcher", ".log");
            ProcessBuilder builder = new ProcessBuilder(javaBin(), "-jar", "target/goctopus-launcher.jar")
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(Map.of("WS_PORT", Integer.toString(port), "WS_HOST", "127.0.0.1",
                    "WS_AUTH_URL", auth.url(), "WS_LOGIN", "backend", "WS_PASSWORD", "secret"));
            Process process = builder.start();
            ExecutorService upgrades = Executors.newFixedThreadPool(wave);
            try {
                Await.until(Duration.ofSeconds(30), () -> status(port, "/healthz") == 200 || !process.isAlive());
                assertTrue(process.isAlive(), () -> "launcher exited: " + readQuietly(log));
                for (int round = 0; round < 2; round++) {
                    List<Future<WsClient>> opened = new ArrayList<>();
                    for (int i = 0; i < wave; i++) {
                        String user = "user" + round + "-" + i + "@example.com";
                        opened.add(upgrades.submit(() -> WsClient.connect(URI.create("ws://127.0.0.1:" + port + "/"),
                                Map.of("X-Test-Keys", user))));
                    }
                    for (Future<WsClient> socket : opened) {
                        socket.get(30, TimeUnit.SECONDS).close();
                    }
                }
                assertEquals(2 * wave, auth.callsSoFar());
                // The JDK keeps 5 idle connections per host unless told otherwise: the second
                // wave would then open most of its connections anew.
                assertTrue(auth.connectionsSoFar() <= wave + 4,
                        () -> auth.connectionsSoFar() + " connections for " + 2 * wave + " calls");
            } finally {
                upgrades.shutdownNow();
                process.destroy();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        }
    }

    @Test
    void onJava21AndLaterThePoolIsTheDefault() throws Exception {
        Path java = java21OrLater();
        Assumptions.assumeTrue(java != null, "no JDK 21+ in /usr/lib/jvm or JAVA21_HOME");
        servesTheReadmeExample(List.of(java.toString()), "a thread pool", "batched, on virtual threads");
    }

    /**
     * Batched writes block their virtual thread until the peer takes the bytes: a peer that
     * stops reading parks only its own writer, is closed after WS_WRITE_TIMEOUT, and the
     * socket that reads gets everything meanwhile.
     */
    @Test
    void onJava21AndLaterAStalledClientHoldsOnlyItsOwnWriter() throws Exception {
        Path java = java21OrLater();
        Assumptions.assumeTrue(java != null, "no JDK 21+ in /usr/lib/jvm or JAVA21_HOME");
        int port = freePort();
        Path log = Files.createTempFile("launcher", ".log");
        ProcessBuilder builder = new ProcessBuilder(java.toString(), "-jar", "target/goctopus-launcher.jar", "--dev")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(Map.of("WS_PORT", Integer.toString(port), "WS_HOST", "127.0.0.1",
                "WS_WRITE_TIMEOUT", "500ms"));
        Process process = builder.start();
        try {
            Await.until(Duration.ofSeconds(30), () -> status(port, "/healthz") == 200 || !process.isAlive());
            assertTrue(readQuietly(log).contains("websocket writes mode=batched, on virtual threads"),
                    () -> readQuietly(log));
            Api api = new Api(URI.create("http://127.0.0.1:" + port), "demo", "demo");
            try (WsClient reader = WsClient.connect(URI.create("ws://127.0.0.1:" + port + "/"));
                 RawUpgrade stalled = RawUpgrade.open(port, "/", Map.of())) {
                assertEquals(101, stalled.status());
                Await.until(() -> api.get("/?presence").body().equals("{\"demo\":2}"));
                for (int n = 0; n < 100; n++) { // 10 MB: more than the kernel buffers on loopback
                    api.publish("{\"key\":\"demo\",\"value\":{\"n\":" + n + ",\"pad\":\""
                            + "x".repeat(100_000) + "\"}}");
                    assertEquals(n, reader.next().getJsonObject("payload").getInt("n"));
                }
                Await.until(() -> api.get("/?presence").body().equals("{\"demo\":1}"));
                String metrics = api.get("/metrics").body();
                assertTrue(metrics.contains("goctopus_slow_clients_closed_total 1.0"), metrics);
            }
        } finally {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /**
     * The README's example through the launcher run by {@code java} (the command and its
     * JVM options), whose start-up lines name {@code threads} and {@code writes}; a queue
     * of 202 messages arrives whole and in order; then SIGTERM closes the socket with 1001.
     */
    private static void servesTheReadmeExample(List<String> java, String threads, String writes) throws Exception {
        int port = freePort();
        Path log = Files.createTempFile("launcher", ".log");
        List<String> command = new ArrayList<>(java);
        command.addAll(List.of("-jar", "target/goctopus-launcher.jar", "--dev"));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("WS_PORT", Integer.toString(port));
        builder.environment().put("WS_HOST", "127.0.0.1");
        Process process = builder.start();
        try {
            Await.until(Duration.ofSeconds(30), () -> status(port, "/healthz") == 200);
            Await.until(Duration.ofSeconds(10), () -> readQuietly(log).contains("listening"));
            assertTrue(readQuietly(log).contains("request work on " + threads), () -> readQuietly(log));
            assertTrue(readQuietly(log).contains("websocket writes mode=" + writes), () -> readQuietly(log));
            try (WsClient client = WsClient.connect(URI.create("ws://127.0.0.1:" + port + "/"))) {
                publishToDemo(port, "{\"hello\":\"world\"}");
                assertEquals("world", client.next().getJsonObject("payload").getString("hello"));
                // The launcher's 1 KB frame buffers send this as many frames of one message.
                String large = "\u00e9".repeat(30_000);
                publishToDemo(port, "\"" + large + "\"");
                assertEquals(large, client.next().getString("payload"));
                for (int n = 0; n < 200; n++) {
                    publishToDemo(port, Integer.toString(n));
                    assertEquals(n, client.next().getInt("payload"));
                }
                // Nothing was acknowledged: a second socket gets all 202 from the queue, many to a write.
                try (WsClient second = WsClient.connect(URI.create("ws://127.0.0.1:" + port + "/"))) {
                    assertEquals("world", second.next().getJsonObject("payload").getString("hello"));
                    assertEquals(large, second.next().getString("payload"));
                    for (int n = 0; n < 200; n++) {
                        assertEquals(n, second.next().getInt("payload"));
                    }
                }
                process.destroy(); // SIGTERM
                assertEquals(1001, client.awaitClose(Duration.ofSeconds(20)));
            }
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "launcher exits after SIGTERM");
        } finally {
            process.destroyForcibly();
        }
    }

    /** Publishes {@code value} (JSON) to the key "demo" with the --dev credentials. */
    private static void publishToDemo(int port, String value) throws Exception {
        HttpResponse<String> posted = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .header("Authorization", "Basic ZGVtbzpkZW1v") // demo:demo
                .POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"demo\",\"value\":" + value + "}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, posted.statusCode(), posted.body());
    }

    @Test
    void aBadSettingStopsStartUpWithOneLineNamingIt() throws Exception {
        Path log = Files.createTempFile("launcher", ".log");
        ProcessBuilder builder = new ProcessBuilder(javaBin(), "-jar", "target/goctopus-launcher.jar", "--dev")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("WS_PORT", Integer.toString(freePort()));
        builder.environment().put("WS_HOST", "127.0.0.1");
        builder.environment().put("WS_MSG_EXPIRE", "forever");
        builder.environment().put("WS_PASSWORD", "hunter2-secret");
        Process process = builder.start();
        try {
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "launcher exits");
            assertEquals(1, process.exitValue());
            String output = Files.readString(log);
            assertTrue(output.contains("WS_MSG_EXPIRE=\"forever\""), output);
            assertTrue(!output.contains("hunter2-secret"), "the password never appears");
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void aSystemPropertyBeatsTheEnvironmentWhichBeatsTheDefault() throws Exception {
        // SPEC §1: system property, then environment, then context parameter, then default.
        assertEquals("7m", defaultExpOfLauncher(List.of("-DWS_MSG_EXPIRE=7m"), "5m"));
        assertEquals("5m", defaultExpOfLauncher(List.of(), "5m"));
    }

    /**
     * Starts {@code java [jvmOptions] -jar target/goctopus-launcher.jar --dev} with
     * WS_MSG_EXPIRE={@code environment} and returns the "exp" of a message posted without
     * "expire"; stops the process.
     */
    private static String defaultExpOfLauncher(List<String> jvmOptions, String environment) throws Exception {
        int port = freePort();
        Path log = Files.createTempFile("launcher", ".log");
        List<String> command = new ArrayList<>();
        command.add(javaBin());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", "target/goctopus-launcher.jar", "--dev"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("WS_PORT", Integer.toString(port));
        builder.environment().put("WS_HOST", "127.0.0.1");
        builder.environment().put("WS_MSG_EXPIRE", environment);
        Process process = builder.start();
        try {
            Await.until(Duration.ofSeconds(30), () -> status(port, "/healthz") == 200 || !process.isAlive());
            assertTrue(process.isAlive(), () -> "launcher exited: " + readQuietly(log));
            URI root = URI.create("http://127.0.0.1:" + port + "/");
            HttpResponse<String> posted = HTTP.send(HttpRequest.newBuilder(root)
                    .header("Authorization", "Basic ZGVtbzpkZW1v") // demo:demo
                    .POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"demo\",\"value\":1}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(202, posted.statusCode(), posted.body());
            HttpResponse<String> queued = HTTP.send(HttpRequest.newBuilder(root.resolve("/?key=demo"))
                    .header("Authorization", "Basic ZGVtbzpkZW1v").build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, queued.statusCode(), queued.body());
            return Api.json(queued.body()).asJsonArray().getJsonObject(0).getString("exp");
        } finally {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "(" + e + ")";
        }
    }

    private static int status(int port, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The java binary of a JDK of release 21 or later ({@link Jdks}); null if none. */
    private static Path java21OrLater() throws java.io.IOException {
        Path home = Jdks.home21OrLater();
        return home == null ? null : home.resolve("bin").resolve("java");
    }

    private static String javaBin() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }
}
