package org.goctopus.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The client's own tests, without a browser: its logic under Node's test runner
 * ({@code src/test/js/client.test.mjs}), and its type declarations checked by the
 * TypeScript compiler against the README's two forms ({@code src/test/js/types}).
 */
class ClientLogicTest {

    private static final File JS = new File("src/test/js");

    @Test
    @Timeout(90)
    void theClientLogicPassesNodesTestRunner() throws Exception {
        run(List.of("node", "--test", "client.test.mjs"));
    }

    @Test
    @Timeout(90)
    void theTypeDeclarationsCheckWithTsc() throws Exception {
        run(List.of("node", "node_modules/typescript/bin/tsc", "--noEmit", "-p", "types"));
    }

    private static void run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).directory(JS).redirectErrorStream(true).start();
        if (!process.waitFor(80, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        System.out.println(output);
        assertEquals(0, process.exitValue(), () -> String.join(" ", command) + " failed:\n" + output);
    }
}
