package org.goctopus.deploy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.goctopus.support.Jdks;
import org.junit.jupiter.api.Assumptions;

/**
 * Standalone Tomcat 11 on the machine's newest JDK 21+, as an ops team on a current JDK
 * runs it: the defaults there batch each socket's writes on virtual threads
 * (WS_WRITES=auto), which the smoke suite then exercises on a real container.
 */
class Tomcat11OnJava21SmokeIT extends SmokeSuite {
    @Override
    protected Deployment deploy(Map<String, String> settings) throws Exception {
        Path jdk = Jdks.home21OrLater();
        Assumptions.assumeTrue(jdk != null, "no JDK 21+ in /usr/lib/jvm or JAVA21_HOME");
        Map<String, String> environment = new HashMap<>(settings);
        environment.put("JAVA_HOME", jdk.toString());
        ServerProcess server = StandaloneTomcat.start(Path.of(System.getProperty("tomcat11.zip")), "", environment);
        String output = server.log();
        if (!output.contains("websocket writes mode=batched, on virtual threads")) {
            server.close();
            throw new AssertionError("expected batched writes on virtual threads; the server's output:\n" + output);
        }
        return server;
    }
}
