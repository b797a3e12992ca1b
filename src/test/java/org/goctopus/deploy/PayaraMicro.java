package org.goctopus.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The same WAR on Payara Micro (Jakarta EE 10, Tyrus and its own Jersey), bound
 * to 127.0.0.1, without clustering or phone-home. Settings come from the environment.
 */
final class PayaraMicro {

    private PayaraMicro() {
    }

    static ServerProcess start(Path jar, String contextPath, Map<String, String> settings) throws IOException {
        Path work = Files.createTempDirectory("payara-micro");
        Path preboot = work.resolve("preboot.txt");
        Files.writeString(preboot, "set configs.config.server-config.network-config.network-listeners"
                + ".network-listener.http-listener.address=127.0.0.1\n"
                // Payara's own MicroProfile metrics would answer /metrics in front of a root-context WAR.
                + "set configs.config.server-config.microprofile-metrics-configuration.endpoint=payara-metrics\n");
        int port = ServerProcess.freePort();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // As the README's recipe runs it.
        return ServerProcess.start(List.of(java, "-Xmx512m", "-Dhttp.maxConnections=64",
                        "-jar", jar.toAbsolutePath().toString(),
                        "--nohazelcast", "--disablephonehome", "--port", Integer.toString(port),
                        "--prebootcommandfile", preboot.toString(),
                        "--rootdir", work.resolve("root").toString(),
                        "--deploy", Path.of("target/goctopus.war").toAbsolutePath().toString(),
                        "--contextroot", contextPath.isEmpty() ? "/" : contextPath),
                work, settings, port, contextPath, Duration.ofSeconds(180));
    }
}
