package org.goctopus.deploy;

import java.util.Map;

class EmbeddedSmokeTest extends SmokeSuite {
    @Override
    protected Deployment deploy(Map<String, String> settings) throws Exception {
        return new EmbeddedDeployment(settings);
    }
}
