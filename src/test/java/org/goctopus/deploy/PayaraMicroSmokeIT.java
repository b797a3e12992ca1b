package org.goctopus.deploy;

import java.nio.file.Path;
import java.util.Map;

/**
 * Payara Micro 6 (Tyrus for websockets, its own Jersey): the same WAR, unchanged. Asked to
 * batch writes, it finds that Tyrus does not, and sends frame by frame: the one write path
 * there, which the whole suites run too.
 */
class PayaraMicroSmokeIT extends SmokeSuite {
    @Override
    protected String writes() {
        return "batched";
    }

    @Override
    protected boolean batchesFrames() {
        return false; // Tyrus: so the service writes frame by frame here, whatever WS_WRITES says
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
