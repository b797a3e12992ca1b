package org.goctopus.deploy;

import java.nio.file.Path;
import java.util.Map;

/** Payara Micro 6 (Tyrus for websockets, its own Jersey): the same WAR, unchanged. */
class PayaraMicroSmokeIT extends SmokeSuite {
    @Override
    protected String writes() {
        return "batched";
    }

    @Override
    protected boolean reportsLeaks() {
        return false;
    }

    @Override
    protected Deployment deploy(Map<String, String> settings) throws Exception {
        return PayaraMicro.start(Path.of(System.getProperty("payara.micro.jar")), settings);
    }
}
