package org.goctopus.deploy;

import java.nio.file.Path;
import java.util.Map;
import org.goctopus.launcher.EmbeddedServer;
import org.goctopus.support.LogRecorder;

/**
 * The embedded runner as a {@link Deployment}: the launcher's own code, in the test's JVM.
 * Its log is what this JVM logged while it ran (warnings and worse: the test logging's
 * level), Tomcat's leak detector included.
 */
final class EmbeddedDeployment implements Deployment {

    private final LogRecorder log = LogRecorder.of("");
    private final EmbeddedServer server;

    EmbeddedDeployment(Map<String, String> settings) throws Exception {
        server = EmbeddedServer.at(Path.of("webapp")).listen("127.0.0.1", 0).classes(Path.of("target/classes"))
                .parameters(settings).start();
    }

    @Override
    public int port() {
        return server.port();
    }

    @Override
    public String contextPath() {
        return "";
    }

    @Override
    public String log() {
        return log.text();
    }

    /** Stops the server; what it logged while stopping (a leak, say) stays in {@link #log}. */
    @Override
    public void close() {
        try {
            server.close();
        } finally {
            log.close();
        }
    }
}
