package org.goctopus.deploy;

import java.nio.file.Path;
import java.util.Map;

/** Deployed at /push instead of the root: every endpoint, websocket included, moves with it. */
class TomcatContextPathSmokeIT extends SmokeSuite {
    @Override
    protected Deployment deploy(Map<String, String> settings) throws Exception {
        return StandaloneTomcat.start(Path.of(System.getProperty("tomcat11.zip")), "/push", settings);
    }
}
