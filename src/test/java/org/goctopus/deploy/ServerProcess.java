package org.goctopus.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A server in a child process on 127.0.0.1, its output in a file. Started until
 * {@code /healthz} answers 200; stopped with SIGTERM (a graceful stop), then
 * killed if it lingers: whatever happens, nothing is left running.
 */
public final class ServerProcess implements Deployment {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final Path workDir;
    private final Path log;
    private final int port;
    private final String contextPath;

    private ServerProcess(Process process, Path workDir, Path log, int port, String contextPath) {
        this.process = process;
        this.workDir = workDir;
        this.log = log;
        this.port = port;
        this.contextPath = contextPath;
    }

    public static ServerProcess start(List<String> command, Path workDir, Map<String, String> environment, int port,
                               String contextPath, Duration startTimeout) throws IOException {
        Path log = Files.createTempFile("server", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        ServerProcess server = new ServerProcess(builder.start(), workDir, log, port, contextPath);
        long deadline = System.nanoTime() + startTimeout.toNanos();
        while (server.status("/healthz") != 200) {
            if (!server.process.isAlive() || System.nanoTime() > deadline) {
                server.close();
                throw new IllegalStateException("server did not become healthy; its output:\n" + server.log());
            }
            try {
                Thread.sleep(100); // polling a starting process: there is nothing to await on
            } catch (InterruptedException e) {
                server.close();
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return server;
    }

    private int status(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + contextPath + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException | InterruptedException e) {
            return -1;
        }
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String contextPath() {
        return contextPath;
    }

    @Override
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The directory it runs in (for a standalone Tomcat, CATALINA_BASE). */
    public Path workDir() {
        return workDir;
    }

    /** SIGKILL, as a crash: no shutdown hook runs, nothing is closed gracefully. */
    public void kill() {
        try {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        process.destroy(); // SIGTERM: the server's shutdown hook undeploys the application
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
