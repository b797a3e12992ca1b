package org.goctopus.deploy;

import java.nio.file.Path;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.goctopus.launcher.EmbeddedServer;

/**
 * The embedded runner as a {@link Deployment}: the launcher's own code, in the test's JVM.
 * Its log is what this JVM logged while it ran (warnings and worse: the test logging's
 * level), Tomcat's leak detector included.
 */
final class EmbeddedDeployment implements Deployment {

    private final StringBuffer log = new StringBuffer();
    private final Handler recorder = new Handler() {
        private final SimpleFormatter format = new SimpleFormatter();

        @Override
        public void publish(LogRecord record) {
            log.append(format.format(record));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final EmbeddedServer server;

    EmbeddedDeployment(Map<String, String> settings) throws Exception {
        Logger.getLogger("").addHandler(recorder);
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
        return log.toString();
    }

    /** Stops the server; what it logged while stopping (a leak, say) stays in {@link #log}. */
    @Override
    public void close() {
        try {
            server.close();
        } finally {
            Logger.getLogger("").removeHandler(recorder);
        }
    }
}
