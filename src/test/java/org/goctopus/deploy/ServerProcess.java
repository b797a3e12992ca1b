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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

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
        return start(command, workDir, workDir, environment, port, contextPath, startTimeout);
    }

    /**
     * Runs {@code command} in {@code directory} and waits until /healthz answers 200.
     *
     * @param home what {@link #workDir} answers: the server's own directory (CATALINA_BASE)
     */
    public static ServerProcess start(List<String> command, Path directory, Path home, Map<String, String> environment,
                               int port, String contextPath, Duration startTimeout) throws IOException {
        Path log = Files.createTempFile("server", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        ServerProcess server = new ServerProcess(builder.start(), home, log, port, contextPath);
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
        stop(ProcessHandle::destroyForcibly, Duration.ofSeconds(10));
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM: the server's shutdown hook undeploys the application; SIGKILL past a minute. */
    @Override
    public void close() {
        stop(ProcessHandle::destroy, Duration.ofSeconds(60));
    }

    /**
     * Signals the process and every process it started (a recipe run by bash starts the
     * server as its child, which a signal to bash alone would leave running), then waits.
     */
    private void stop(Consumer<ProcessHandle> signal, Duration bound) {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        tree.forEach(signal);
        long deadline = System.nanoTime() + bound.toNanos();
        for (ProcessHandle handle : tree) {
            try {
                handle.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                tree.forEach(ProcessHandle::destroyForcibly);
                return;
            } catch (ExecutionException | TimeoutException e) {
                handle.destroyForcibly();
            }
        }
    }
}
