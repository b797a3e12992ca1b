package org.goctopus.deploy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Payara Micro 6 on the machine's newest JDK 21+ with the defaults: there WS_WRITES=auto
 * asks for batched writes, which Tyrus cannot do, so the first write finds out and the
 * service sends frame by frame (the smoke suite checks the log says so).
 */
class PayaraMicroOnJava21SmokeIT extends PayaraMicroSmokeIT {
    @Override
    protected String writes() {
        return "auto";
    }

    @Override
    protected Deployment deploy(Map<String, String> settings) throws Exception {
        Map<String, String> environment = new HashMap<>(settings);
        // The recipe runs `java` from the PATH.
        environment.put("PATH", OnJava21.jdk().resolve("bin") + ":" + System.getenv("PATH"));
        return OnJava21.batchingOnVirtualThreads(
                PayaraMicro.start(Path.of(System.getProperty("payara.micro.jar")), environment));
    }
}
