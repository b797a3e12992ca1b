package org.goctopus.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.goctopus.support.Api;
import org.goctopus.support.Await;
import org.goctopus.support.Jdks;
import org.goctopus.support.RawUpgrade;
import org.goctopus.support.StubAuthServer;
import org.goctopus.support.TestCertificate;
import org.goctopus.support.WsClient;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The README's run command, as a process: {@code java -jar target/goctopus.war --dev}.
 * Runs after {@code package} (failsafe), against the WAR the build made.
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
            ExecutorService upgrades = Executors.newFixedThreadPool(wave);
            try (Launched launcher = launch(List.of(javaBin()), Map.of("WS_PORT", Integer.toString(port),
                    "WS_HOST", "127.0.0.1", "WS_AUTH_URL", auth.url(), "WS_LOGIN", "backend", "WS_PASSWORD", "secret"))) {
                launcher.awaitHealthy(port);
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
        try (Launched launcher = launch(List.of(java.toString()), Map.of("WS_PORT", Integer.toString(port),
                "WS_HOST", "127.0.0.1", "WS_WRITE_TIMEOUT", "500ms"), "--dev")) {
            launcher.awaitHealthy(port);
            assertTrue(launcher.output().contains("websocket writes mode=batched, on virtual threads"),
                    launcher::output);
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
        }
    }

    /**
     * The README's example through the launcher run by {@code java} (the command and its
     * JVM options), whose start-up lines name {@code threads} and {@code writes}; a queue
     * of 202 messages arrives whole and in order; then SIGTERM closes the socket with 1001.
     */
    private static void servesTheReadmeExample(List<String> java, String threads, String writes) throws Exception {
        int port = freePort();
        try (Launched launcher = launch(java, Map.of("WS_PORT", Integer.toString(port), "WS_HOST", "127.0.0.1"),
                "--dev")) {
            launcher.awaitHealthy(port);
            Await.until(Duration.ofSeconds(10), () -> launcher.output().contains("listening"));
            assertTrue(launcher.output().contains("request work on " + threads), launcher::output);
            assertTrue(launcher.output().contains("websocket writes mode=" + writes), launcher::output);
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
                launcher.process.destroy(); // SIGTERM
                assertEquals(1001, client.awaitClose(Duration.ofSeconds(20)));
            }
            assertEquals(143, launcher.exitCode(), "launcher exits after SIGTERM");
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

    /**
     * A bad setting stops the launcher with exit 2 and one line naming it (after the --dev
     * banner), and the port never opened meanwhile: a probe connecting all along finds nothing.
     */
    @Test
    void aBadSettingExits2WithOneLineBeforeAnythingListens() throws Exception {
        int port = freePort();
        boolean listened = false;
        try (Launched launcher = launch(List.of(javaBin()), Map.of("WS_PORT", Integer.toString(port),
                "WS_HOST", "127.0.0.1", "WS_MSG_EXPIRE", "forever", "WS_PASSWORD", "hunter2-secret"), "--dev")) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (launcher.process.isAlive() && System.nanoTime() < deadline) {
                listened |= accepts(port);
            }
            assertEquals(2, launcher.exitCode());
            List<String> lines = launcher.output().lines().toList();
            assertEquals(2, lines.size(), launcher::output);
            assertTrue(lines.get(0).startsWith("development mode: "), launcher::output);
            assertTrue(lines.get(1).startsWith("configuration: WS_MSG_EXPIRE=\"forever\": not a duration"),
                    launcher::output);
            assertFalse(launcher.output().contains("hunter2-secret"), "the password never appears");
        }
        assertFalse(listened, "the port opened before the launcher gave up");
    }

    /** A port another process holds: exit 1 and one line, not a live process serving nothing. */
    @Test
    void aPortInUseExits1WithOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
             Launched launcher = launch(List.of(javaBin()), Map.of("WS_PORT", Integer.toString(taken.getLocalPort()),
                     "WS_HOST", "127.0.0.1", "WS_AUTHORIZER", "dummy", "WS_AUTH_URL", "k"))) {
            assertEquals(1, launcher.exitCode());
            assertEquals(List.of("WS_PORT=" + taken.getLocalPort()
                    + ": address already in use on 127.0.0.1 (another process listens there)"),
                    launcher.output().lines().toList());
        }
    }

    @Test
    void helpPrintsTheUsageAndAnUnknownOptionExits2WithIt() throws Exception {
        try (Launched help = launch(List.of(javaBin()), Map.of(), "--help")) {
            assertEquals(0, help.exitCode());
            assertTrue(help.output().startsWith("usage: java -jar goctopus.war [--dev]"), help::output);
        }
        try (Launched unknown = launch(List.of(javaBin()), Map.of(), "--deve")) {
            assertEquals(2, unknown.exitCode());
            assertTrue(unknown.output().startsWith("unknown option: --deve\nusage: "), unknown::output);
        }
    }

    /**
     * --dev fills in only what is not set, and says so: with WS_AUTH_URL and the credentials
     * given, it fills in the dummy authorizer and the console alone, and the given key and credentials are
     * the ones in effect.
     */
    @Test
    void theDevBannerNamesOnlyWhatItFilledIn() throws Exception {
        int port = freePort();
        try (Launched launcher = launch(List.of(javaBin()), Map.of("WS_PORT", Integer.toString(port),
                "WS_HOST", "127.0.0.1", "WS_AUTH_URL", "alice", "WS_LOGIN", "ops", "WS_PASSWORD", "ops-secret"),
                "--dev")) {
            launcher.awaitHealthy(port);
            assertEquals("development mode: filled in WS_AUTHORIZER=dummy WS_CONSOLE=true (every websocket gets the keys \"alice\")",
                    launcher.output().lines().findFirst().orElse(""));
            Api api = new Api(URI.create("http://127.0.0.1:" + port), "ops", "ops-secret");
            try (WsClient client = WsClient.connect(URI.create("ws://127.0.0.1:" + port + "/"))) {
                Await.until(() -> api.get("/?presence").body().equals("{\"alice\":1}"));
            }
            assertEquals(403, api.as("demo", "demo").get("/").statusCode());
        }
    }

    /**
     * WS_TLS_CERT and WS_TLS_KEY: https and wss on the port, with a certificate made for the
     * test (openssl); the API and a websocket work through it, plain http does not.
     */
    @Test
    void tlsServesHttpsAndWssOnThePort() throws Exception {
        TestCertificate tls = TestCertificate.make();
        int port = freePort();
        try (Launched launcher = launch(List.of(javaBin()), Map.of("WS_PORT", Integer.toString(port),
                "WS_HOST", "127.0.0.1", "WS_TLS_CERT", tls.certificate().toString(),
                "WS_TLS_KEY", tls.key().toString()), "--dev")) {
            HttpClient https = HttpClient.newBuilder().sslContext(tls.trustingIt()).build();
            URI base = URI.create("https://127.0.0.1:" + port);
            Await.until(Duration.ofSeconds(30), () -> statusOf(https, base.resolve("/healthz")) == 200
                    || !launcher.process.isAlive());
            assertTrue(launcher.output().contains("goctopus listening on https://127.0.0.1:" + port), launcher::output);
            BlockingQueue<String> frames = new LinkedBlockingQueue<>();
            WebSocket socket = https.newWebSocketBuilder().buildAsync(URI.create("wss://127.0.0.1:" + port + "/"),
                    new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket ws,
                                CharSequence data, boolean last) {
                            frames.add(data.toString());
                            ws.request(1);
                            return null;
                        }
                    }).get(30, TimeUnit.SECONDS);
            try {
                HttpResponse<String> posted = https.send(HttpRequest.newBuilder(base.resolve("/"))
                        .header("Authorization", "Basic ZGVtbzpkZW1v") // demo:demo
                        .POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"demo\",\"value\":\"over tls\"}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(202, posted.statusCode(), posted.body());
                String frame = frames.poll(20, TimeUnit.SECONDS);
                assertTrue(frame != null && frame.contains("\"over tls\""), String.valueOf(frame));
            } finally {
                socket.abort();
            }
            assertTrue(status(port, "/healthz") != 200, "plain http answered on the TLS port");
            for (String line : tls.keyLines()) {
                assertFalse(launcher.output().contains(line), "the private key appears in the output");
            }
        }
    }

    /** A missing TLS file stops start-up with exit 2 and a line naming its setting. */
    @Test
    void aMissingTlsFileExits2NamingTheSetting() throws Exception {
        try (Launched launcher = launch(List.of(javaBin()), Map.of("WS_PORT", Integer.toString(freePort()),
                "WS_HOST", "127.0.0.1", "WS_TLS_CERT", "/nonexistent/cert.pem", "WS_TLS_KEY", "/nonexistent/key.pem"),
                "--dev")) {
            assertEquals(2, launcher.exitCode());
            List<String> lines = launcher.output().lines().skip(1).toList(); // after the --dev banner
            assertEquals(List.of("configuration: WS_TLS_CERT=\"/nonexistent/cert.pem\": no such file",
                    "configuration: WS_TLS_KEY=\"/nonexistent/key.pem\": no such file"), lines);
        }
    }

    private static int statusOf(HttpClient client, URI uri) {
        try {
            return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    /**
     * The WAR alone, copied anywhere, is the service: it runs from another directory, and
     * leaves nothing in the temporary directory once stopped (neither the unpacked WAR nor
     * Tomcat's work directory).
     */
    @Test
    void theWarCopiedElsewhereRunsAndCleansUpAfterItself() throws Exception {
        Path elsewhere = Files.createTempDirectory("copied");
        Path tmp = Files.createTempDirectory("tmp");
        Files.copy(Path.of("target/goctopus.war"), elsewhere.resolve("goctopus.war"));
        int port = freePort();
        try (Launched launcher = launch(List.of(javaBin(), "-Djava.io.tmpdir=" + tmp), elsewhere,
                elsewhere.resolve("goctopus.war").toString(),
                Map.of("WS_PORT", Integer.toString(port), "WS_HOST", "127.0.0.1"), "--dev")) {
            launcher.awaitHealthy(port);
            try (var files = Files.list(tmp)) {
                assertEquals(2, files.count(), "the unpacked WAR and Tomcat's work directory");
            }
            launcher.process.destroy();
            assertEquals(143, launcher.exitCode());
        }
        try (var files = Files.list(tmp)) {
            assertEquals(List.of(), files.toList());
        }
    }

    @Test
    void aSystemPropertyBeatsTheEnvironmentWhichBeatsTheDefault() throws Exception {
        // SPEC §1: system property, then environment, then context parameter, then default.
        assertEquals("7m", defaultExpOfLauncher(List.of("-DWS_MSG_EXPIRE=7m"), "5m"));
        assertEquals("5m", defaultExpOfLauncher(List.of(), "5m"));
    }

    /**
     * Starts {@code java [jvmOptions] -jar target/goctopus.war --dev} with
     * WS_MSG_EXPIRE={@code environment} and returns the "exp" of a message posted without
     * "expire"; stops the process.
     */
    private static String defaultExpOfLauncher(List<String> jvmOptions, String environment) throws Exception {
        int port = freePort();
        List<String> java = new ArrayList<>();
        java.add(javaBin());
        java.addAll(jvmOptions);
        try (Launched launcher = launch(java, Map.of("WS_PORT", Integer.toString(port), "WS_HOST", "127.0.0.1",
                "WS_MSG_EXPIRE", environment), "--dev")) {
            launcher.awaitHealthy(port);
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
        }
    }

    /** A launcher process: {@code java... -jar <war> args}, its output in a file. */
    private record Launched(Process process, Path log) implements AutoCloseable {

        String output() {
            return readQuietly(log);
        }

        /** Waits until /healthz answers 200; fails with the output if the process exited. */
        void awaitHealthy(int port) {
            Await.until(Duration.ofSeconds(30), () -> status(port, "/healthz") == 200 || !process.isAlive());
            assertTrue(process.isAlive(), () -> "launcher exited: " + output());
        }

        int exitCode() throws InterruptedException {
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "launcher exits");
            return process.exitValue();
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** {@code java... -jar target/goctopus.war args}, run from the project directory. */
    private static Launched launch(List<String> java, Map<String, String> environment, String... args)
            throws Exception {
        return launch(java, Path.of(""), "target/goctopus.war", environment, args);
    }

    private static Launched launch(List<String> java, Path workDir, String war, Map<String, String> environment,
            String... args) throws Exception {
        Path log = Files.createTempFile("launcher", ".log");
        List<String> command = new ArrayList<>(java);
        command.addAll(List.of("-jar", war));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toAbsolutePath().toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        return new Launched(builder.start(), log);
    }

    /** Whether something accepts a connection on 127.0.0.1:port now. */
    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 100);
            return true;
        } catch (java.io.IOException e) {
            return false;
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
        return statusOf(HTTP, URI.create("http://127.0.0.1:" + port + path));
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
