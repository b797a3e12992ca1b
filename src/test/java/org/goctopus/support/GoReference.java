package org.goctopus.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * Go itself, for the tests that compare a port with the original: {@code src/test/go/reference.go}
 * built with the machine's {@code go} (Debian's golang-go, which the build installs) into
 * {@code target/go-reference}, and run once per test JVM, answering one line per question.
 */
public final class GoReference {

    private static GoReference instance;

    private final Process process;
    private final OutputStream requests;
    private final BufferedReader answers;

    private GoReference(Process process) {
        this.process = process;
        this.requests = process.getOutputStream();
        this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    public static synchronized GoReference get() {
        if (instance == null) {
            instance = new GoReference(start());
            Runtime.getRuntime().addShutdownHook(new Thread(instance.process::destroy));
        }
        return instance;
    }

    private static Process start() {
        try {
            Path binary = Path.of("target/go-reference").toAbsolutePath();
            if (!Files.isExecutable(binary)) {
                Process build = new ProcessBuilder("go", "build", "-o", binary.toString(), "src/test/go/reference.go")
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (!build.waitFor(180, TimeUnit.SECONDS) || build.exitValue() != 0) {
                    throw new IllegalStateException("go build of src/test/go/reference.go failed");
                }
            }
            return new ProcessBuilder(binary.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** time.ParseDuration: the nanoseconds, or empty when Go refuses the text. */
    public synchronized OptionalLong parseDuration(String text) {
        String answer = ask("d " + encode(text));
        return answer.equals("err") ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(answer.substring(3)));
    }

    /** path.Match: true, false, or null for a bad pattern. */
    public synchronized Boolean match(String pattern, String name) {
        String answer = ask("m " + encode(pattern) + " " + encode(name));
        return answer.equals("bad") ? null : Boolean.valueOf(answer);
    }

    private String ask(String line) {
        try {
            requests.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            requests.flush();
            String answer = answers.readLine();
            if (answer == null) {
                throw new IllegalStateException("the Go reference exited");
            }
            return answer;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String encode(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
