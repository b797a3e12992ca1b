package org.goctopus.deploy;

import java.nio.file.Path;
import java.util.Map;

/** Standalone Tomcat 11 (Jakarta EE 11 container running the EE 10 WAR). */
class Tomcat11SmokeIT extends SmokeSuite {
    @Override
    protected String writes() {
        return "batched";
    }

    @Override
    protected Deployment deploy(Map<String, String> settings) throws Exception {
        return StandaloneTomcat.start(Path.of(System.getProperty("tomcat11.zip")), "", settings);
    }
}
