package org.goctopus.deploy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Standalone Tomcat 11 on the machine's newest JDK 21+, as an ops team on a current JDK
 * runs it: the defaults there batch each socket's writes on virtual threads
 * (WS_WRITES=auto), which the smoke suite then exercises on a real container.
 */
class Tomcat11OnJava21SmokeIT extends SmokeSuite {
    @Override
    protected Deployment deploy(Map<String, String> settings) throws Exception {
        Map<String, String> environment = new HashMap<>(settings);
        environment.put("JAVA_HOME", OnJava21.jdk().toString());
        return OnJava21.batchingOnVirtualThreads(
                StandaloneTomcat.start(Path.of(System.getProperty("tomcat11.zip")), "", environment));
    }
}
