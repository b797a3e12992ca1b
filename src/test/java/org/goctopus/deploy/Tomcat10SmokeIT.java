package org.goctopus.deploy;

import java.nio.file.Path;
import java.util.Map;

/** Standalone Tomcat 10.1 (Jakarta EE 10). */
class Tomcat10SmokeIT extends SmokeSuite {
    @Override
    protected Deployment deploy(Map<String, String> settings) throws Exception {
        return StandaloneTomcat.start(Path.of(System.getProperty("tomcat10.zip")), "", settings);
    }
}
