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
import java.util.concurrent.TimeUnit;
import org.goctopus.support.Api;
import org.goctopus.support.Await;
import org.goctopus.support.WsClient;
import org.junit.jupiter.api.Test;

/**
 * The README's run command, as a process: {@code java -jar target/goctopus-launcher.jar --dev}.
 * Runs after {@code package} (failsafe), against the jar and exploded WAR the build made.
 */
class LauncherIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void devModeServesTheReadmeExampleAndSigtermClosesSocketsWith1001() throws Exception {
        int port = freePort();
        Path log = Files.createTempFile("launcher", ".log");
        ProcessBuilder builder = new ProcessBuilder(javaBin(), "-jar", "target/goctopus-launcher.jar", "--dev")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("WS_PORT", Integer.toString(port));
        builder.environment().put("WS_HOST", "127.0.0.1");
        Process process = builder.start();
        try {
            Await.until(Duration.ofSeconds(30), () -> status(port, "/healthz") == 200);
            try (WsClient client = WsClient.connect(URI.create("ws://127.0.0.1:" + port + "/"))) {
                HttpResponse<String> posted = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                        .header("Authorization", "Basic ZGVtbzpkZW1v") // demo:demo
                        .POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"demo\",\"value\":{\"hello\":\"world\"}}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(202, posted.statusCode(), posted.body());
                assertEquals("world", client.next().getJsonObject("payload").getString("hello"));
                // The launcher's 1 KB frame buffers send this as many frames of one message.
                String large = "\u00e9".repeat(30_000);
                HttpResponse<String> big = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                        .header("Authorization", "Basic ZGVtbzpkZW1v")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"demo\",\"value\":\"" + large + "\"}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(202, big.statusCode(), big.body());
                assertEquals(large, client.next().getString("payload"));
                process.destroy(); // SIGTERM
                assertEquals(1001, client.awaitClose(Duration.ofSeconds(20)));
            }
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "launcher exits after SIGTERM");
        } finally {
            process.destroyForcibly();
        }
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

    private static String javaBin() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }
}
