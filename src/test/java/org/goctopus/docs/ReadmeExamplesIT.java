package org.goctopus.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.goctopus.deploy.ServerProcess;
import org.goctopus.support.Api;
import org.goctopus.support.Await;
import org.goctopus.support.Chromium;
import org.goctopus.support.Readme;
import org.goctopus.support.RedisServer;
import org.goctopus.support.WsClient;
import org.junit.jupiter.api.Test;

/**
 * The README's examples, run as written against the command each follows: the quick start
 * (its {@code mvn package} dropped: the build has just made the WAR), the production
 * command, and the Redis one, each started on a free port given as WS_PORT, which their
 * text leaves unset; the examples after them with {@code 7890} replaced by that port. The
 * deployment recipes are run by the deployment tests (blocks {@code tomcat}, {@code payara}).
 */
class ReadmeExamplesIT {

    /** Every block a test runs, by its marker's name. */
    private static final Set<String> RUN = Set.of("quick-start", "try-it", "production", "publish-curl",
            "publish-python", "redis", "tomcat", "payara", "frontend-script", "frontend-module");
    private static final Set<String> CODE = Set.of("sh", "python", "js", "html");

    /** Every shell, Python and JavaScript block says whether a test runs it, and the ones run are known. */
    @Test
    void everyCodeBlockSaysWhetherATestRunsIt() {
        for (Readme.Block block : Readme.blocks()) {
            if (!CODE.contains(block.language())) {
                continue;
            }
            String where = "README.md line " + block.line();
            assertNotNull(block.marker(), where + ": a " + block.language()
                    + " block needs <!-- readme: run NAME --> or <!-- readme: not run, WHY -->");
            assertTrue(block.marker().startsWith("not run, ") || RUN.contains(block.marker().substring(4))
                    && block.marker().startsWith("run "), where + ": unknown marker " + block.marker());
        }
        for (String name : RUN) {
            Readme.run(name); // fails if the README lost it
        }
    }

    /**
     * The quick start answers the try-it example, and its console (in Chromium, signed in
     * with the credentials the README gives) shows the one socket there is and publishes to it.
     */
    @Test
    void theQuickStartAnswersTheTryItExampleAndServesTheConsole() throws Exception {
        try (ServerProcess server = serve(Readme.run("quick-start", Map.of("mvn -q -DskipTests package && ", "")),
                Map.of())) {
            runAndCompare("try-it", server.port());
            try (Chromium chromium = Chromium.launch();
                 WsClient socket = WsClient.connect(server.ws("/"));
                 Chromium.Page page = chromium.signedInConsole(server.http("/console/"), "demo", "demo")) {
                Await.until(() -> page.text("document.getElementById('connections').textContent").equals("1"));
                page.fill("#publish-key", "demo");
                page.click("#publish-form button");
                assertEquals("{\"hello\":\"world\"}", socket.next(Duration.ofSeconds(20)).get("payload").toString());
            }
        }
    }

    @Test
    void theProductionCommandTakesTheBackendExamples() throws Exception {
        try (ServerProcess server = serve(Readme.run("production"), Map.of())) {
            runAndCompare("publish-curl", server.port());
            runAndCompare("publish-python", server.port());
            Api api = new Api(server.http(""), "backend", "change-me");
            assertEquals(2, Api.json(api.get("/?key=alice@example.com").body()).asJsonArray().size());
        }
    }

    /** The Redis command run twice, as the README says: a message posted to one reaches a socket on the other. */
    @Test
    void twoInstancesOfTheRedisCommandShareTheirMessages() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            String command = Readme.run("redis", Map.of("redis://localhost:6379/0", redis.url()));
            try (ServerProcess first = serve(command, Map.of());
                 ServerProcess second = serve(command, Map.of())) {
                Api toFirst = new Api(first.http(""), "demo", "demo");
                Await.until(Duration.ofSeconds(30), () -> toFirst.get("/readyz").statusCode() == 200
                        && new Api(second.http(""), "demo", "demo").get("/readyz").statusCode() == 200);
                try (WsClient socket = WsClient.connect(second.ws("/"))) {
                    Await.until(() -> toFirst.get("/?presence").body().equals("{\"demo\":1}"));
                    String id = toFirst.publish("{\"key\":\"demo\",\"value\":\"across\"}");
                    assertEquals(id, socket.next().getString("id"));
                }
            }
        }
    }

    /** Starts a README run command with WS_PORT (and WS_HOST=127.0.0.1) in its environment. */
    private static ServerProcess serve(String command, Map<String, String> environment) throws IOException {
        int port = ServerProcess.freePort();
        Map<String, String> env = new HashMap<>(environment);
        env.put("WS_PORT", Integer.toString(port));
        env.put("WS_HOST", "127.0.0.1");
        return ServerProcess.start(List.of("bash", "-c", command), Path.of("").toAbsolutePath(), env, port, "",
                Duration.ofSeconds(60));
    }

    /** Runs the block (its 7890 made {@code port}) and compares what it prints with what it documents. */
    private static void runAndCompare(String name, int port) throws Exception {
        Readme.Block block = Readme.blocks().stream().filter(b -> ("run " + name).equals(b.marker())).findFirst()
                .orElseThrow();
        String text = Readme.run(name, Map.of("7890", Integer.toString(port)));
        List<String> expected = Readme.expectedOutput(text);
        assertTrue(!expected.isEmpty(), name + " documents no output to check");
        Path script = Files.createTempFile("readme-" + name, "python".equals(block.language()) ? ".py" : ".sh");
        Files.writeString(script, text);
        Path errors = Files.createTempFile("readme-" + name, ".err");
        Process process = new ProcessBuilder("python".equals(block.language()) ? "python3" : "bash", script.toString())
                .redirectError(errors.toFile()).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), name + " ends");
        String stderr = Files.readString(errors);
        assertEquals(0, process.exitValue(), () -> name + ": " + output + stderr);
        List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
        assertEquals(expected.size(), lines.size(), name + " printed:\n" + output + "\nit documents:\n" + expected);
        for (int i = 0; i < lines.size(); i++) {
            assertTrue(Readme.matches(expected.get(i), lines.get(i)),
                    name + " printed " + lines.get(i) + ", it documents " + expected.get(i));
        }
    }
}
