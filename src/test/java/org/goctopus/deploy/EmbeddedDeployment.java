package org.goctopus.deploy;

import java.nio.file.Path;
import java.util.Map;
import org.goctopus.launcher.EmbeddedServer;

/** The embedded runner as a {@link Deployment}: the launcher's own code, in the test's JVM. */
final class EmbeddedDeployment implements Deployment {

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
        return "";
    }

    @Override
    public void close() {
        server.close();
    }
}
