package org.goctopus.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.goctopus.support.Readme;

/**
 * The same WAR on Payara Micro (Jakarta EE 10, Tyrus and its own Jersey), started by the
 * README's recipe (the block {@code payara}) run as written in a directory of its own, with
 * the Payara jar's path, the WAR's, a free port and the auth URL substituted. Other settings
 * come from the environment.
 */
final class PayaraMicro {

    private PayaraMicro() {
    }

    static ServerProcess start(Path jar, Map<String, String> settings) throws IOException {
        return start(jar, settings, "https://app.example.com/api/ws-auth", settings.get("WS_AUTH_URL"));
    }

    /**
     * With {@code settings} alone: the recipe without the example values it sets on the
     * command line, so that every setting a test leaves out has its default.
     */
    static ServerProcess startWithOnly(Path jar, Map<String, String> settings) throws IOException {
        return start(jar, settings, "WS_AUTH_URL=https://app.example.com/api/ws-auth WS_LOGIN=backend "
                + "WS_PASSWORD=change-me \\\n  ", "");
    }

    private static ServerProcess start(Path jar, Map<String, String> settings, String example, String replacement)
            throws IOException {
        Path work = Files.createTempDirectory("payara-micro");
        int port = ServerProcess.freePort();
        String recipe = Readme.run("payara", Map.of(example, replacement,
                "-jar payara-micro-" + System.getProperty("payara.version") + ".jar", "-jar " + jar.toAbsolutePath(),
                "--port 8080", "--port " + port,
                "--deploy target/goctopus.war", "--deploy " + Path.of("target/goctopus.war").toAbsolutePath()));
        return ServerProcess.start(List.of("bash", "-c", recipe), work, work, settings, port, "",
                Duration.ofSeconds(180));
    }
}
