package org.goctopus.deploy;

import java.io.IOException;
import java.nio.file.Path;
import org.goctopus.support.Jdks;
import org.junit.jupiter.api.Assumptions;

/** A container on the machine's newest JDK 21+, where the service's defaults batch writes on virtual threads. */
final class OnJava21 {

    private OnJava21() {
    }

    /** The JDK's home; the test is skipped on a machine without one. */
    static Path jdk() throws IOException {
        Path jdk = Jdks.home21OrLater();
        Assumptions.assumeTrue(jdk != null, "no JDK 21+ in /usr/lib/jvm or JAVA21_HOME");
        return jdk;
    }

    /** The started server, once its log shows Java 21+'s default write path; stopped otherwise. */
    static ServerProcess batchingOnVirtualThreads(ServerProcess server) {
        String output = server.log();
        if (!output.contains("websocket writes mode=batched, on virtual threads")) {
            server.close();
            throw new AssertionError("expected batched writes on virtual threads; the server's output:\n" + output);
        }
        return server;
    }
}
