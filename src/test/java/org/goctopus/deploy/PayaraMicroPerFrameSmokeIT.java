package org.goctopus.deploy;

/**
 * Payara Micro 6 with its defaults on Java 17: frame-by-frame asynchronous sends, whose
 * completions Tyrus may run inline. {@link PayaraMicroSmokeIT} runs the batched path.
 */
class PayaraMicroPerFrameSmokeIT extends PayaraMicroSmokeIT {
    @Override
    protected String writes() {
        return "per-frame";
    }
}
