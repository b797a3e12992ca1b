package org.goctopus.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Redis (Debian's {@code redis-server}, which the build installs) in a child
 * process on 127.0.0.1 and a free port, with its data in a directory of its own.
 * Stopped gracefully, killed with SIGKILL, or started again on the same port and
 * data, as a failing production Redis would be.
 */
public final class RedisServer implements AutoCloseable {

    private final Path dir;
    private final int port;
    private final List<String> options;
    private final String binary;
    private Process process;

    private RedisServer(String binary, Path dir, int port, List<String> options) {
        this.binary = binary;
        this.dir = dir;
        this.port = port;
        this.options = options;
    }

    /** A Redis; without {@code options} ({@code --name value} pairs) it does not persist. */
    public static RedisServer start(String... options) {
        return create("redis-server", "", options);
    }

    /** A Sentinel whose configuration file holds {@code config} (it rewrites that file itself). */
    public static RedisServer sentinel(String config) {
        return create("redis-sentinel", config);
    }

    private static RedisServer create(String binary, String config, String... options) {
        try {
            RedisServer redis = new RedisServer(binary, Files.createTempDirectory("redis"), freePort(),
                    List.of(options));
            if (binary.equals("redis-sentinel")) {
                Files.writeString(redis.dir.resolve("sentinel.conf"), config);
            }
            redis.launch();
            return redis;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:port/0} */
    public String url() {
        return "redis://127.0.0.1:" + port + "/0";
    }

    public Path dir() {
        return dir;
    }

    private void launch() throws IOException {
        List<String> command = new ArrayList<>(List.of(binary));
        if (binary.equals("redis-sentinel")) {
            command.add(dir.resolve("sentinel.conf").toString());
        }
        command.addAll(List.of("--port", Integer.toString(port), "--bind", "127.0.0.1", "--dir", dir.toString(),
                "--daemonize", "no", "--protected-mode", "no"));
        if (binary.equals("redis-server")) {
            command.addAll(List.of("--save", "", "--appendonly", "no"));
        }
        command.addAll(options);
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile()).start();
        Await.until(Duration.ofSeconds(20), () -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis did not start: " + log());
            }
            return ping();
        });
    }

    /** Whether it answers PING now. */
    public boolean ping() {
        try {
            return command("PING").equals("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    /** One command over RESP; the first line of the answer (e.g. {@code +OK}, {@code :3}, {@code $5}). */
    public String command(String... words) throws IOException {
        try (Socket socket = send(words)) {
            return line(socket.getInputStream());
        }
    }

    /** The text of a command's bulk-string answer, such as INFO's. */
    public String bulk(String... words) throws IOException {
        try (Socket socket = send(words)) {
            InputStream in = socket.getInputStream();
            String head = line(in);
            if (!head.startsWith("$")) {
                throw new IOException(String.join(" ", words) + " answered " + head);
            }
            return new String(in.readNBytes(Integer.parseInt(head.substring(1))), StandardCharsets.UTF_8);
        }
    }

    private Socket send(String... words) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            socket.setSoTimeout(5000);
            StringBuilder request = new StringBuilder("*" + words.length + "\r\n");
            for (String word : words) {
                request.append('$').append(word.getBytes(StandardCharsets.UTF_8).length).append("\r\n")
                        .append(word).append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    /** The integer answer of a command such as DBSIZE. */
    public long integer(String... words) {
        try {
            String answer = command(words);
            if (!answer.startsWith(":")) {
                throw new IllegalStateException(String.join(" ", words) + " answered " + answer);
            }
            return Long.parseLong(answer.substring(1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many times Redis ran {@code command} (INFO commandstats; 0 if never). */
    public long calls(String command) {
        try {
            return bulk("INFO", "commandstats").lines().filter(line -> line.startsWith("cmdstat_" + command + ":"))
                    .mapToLong(line -> Long.parseLong(line.replaceAll("^[^:]+:calls=(\\d+),.*$", "$1"))).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** CLIENT LIST: a line per client connection. */
    public List<String> clients() {
        try {
            return bulk("CLIENT", "LIST").lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGTERM, as an operator's stop: Redis saves (if it persists) and exits. */
    public void stop() {
        end(false);
    }

    /** SIGKILL: whatever was not written to disk is gone. */
    public void kill() {
        end(true);
    }

    /** Starts again on the same port and data directory. */
    public void restart() {
        try {
            launch();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void end(boolean kill) {
        if (process == null || !process.isAlive()) {
            return;
        }
        if (kill) {
            process.destroyForcibly();
        } else {
            process.destroy();
        }
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    public String log() {
        try {
            return Files.readString(dir.resolve("redis.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        kill();
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
