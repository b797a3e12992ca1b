package org.goctopus.deploy;

import java.nio.file.Path;
import java.util.Map;

/**
 * Payara Micro 6 with its defaults on Java 17: frame-by-frame asynchronous sends, whose
 * completions Tyrus may run inline. The other Payara suite runs the batched path.
 */
class PayaraMicroPerFrameSmokeIT extends SmokeSuite {
    @Override
    protected String writes() {
        return "per-frame";
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
