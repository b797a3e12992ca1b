package org.goctopus.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.goctopus.launcher.EmbeddedServer;
import org.goctopus.support.Api;
import org.goctopus.support.RawUpgrade;
import org.goctopus.support.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Where a setting comes from (SPEC §1), highest first: a Java system property, the
 * environment, a servlet context parameter (web.xml-style or a Tomcat context file's
 * {@code <Parameter>}), the default. Observed through WS_MSG_EXPIRE: the {@code exp} of a
 * message posted without {@code expire}. The environment's place is tested with a child
 * process in {@code LauncherIT}.
 */
class PrecedenceTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Path ROOT_XML = Path.of("tomcat-conf/conf/Catalina/localhost/ROOT.xml");

    @BeforeAll
    static void noOutsideValue() {
        // Each test sets WS_MSG_EXPIRE where it means to; one from outside would decide instead.
        assumeTrue(System.getenv("WS_MSG_EXPIRE") == null, "WS_MSG_EXPIRE is set in the environment");
        assumeTrue(System.getProperty("WS_MSG_EXPIRE") == null, "WS_MSG_EXPIRE is set as a system property");
    }

    @Test
    void layeredTakesTheFirstSourceThatSetsAName() {
        Map<String, String> high = Map.of("WS_MSG_EXPIRE", "7m");
        Map<String, String> middle = Map.of("WS_MSG_EXPIRE", "5m", "WS_LOGIN", "middle");
        Map<String, String> low = Map.of("WS_LOGIN", "low", "WS_PASSWORD", "pw", "WS_AUTH_URL", "http://a.example/");
        Settings.Lookup lookup = Settings.layered(high::get, middle::get, low::get);
        assertEquals("7m", lookup.get("WS_MSG_EXPIRE"));
        assertEquals("middle", lookup.get("WS_LOGIN"));
        assertEquals("pw", lookup.get("WS_PASSWORD"));
        assertNull(lookup.get("WS_HOST"), "no source sets it");
        assertNull(Settings.layered().get("WS_HOST"));

        Settings settings = Settings.parse(lookup);
        assertEquals(Duration.ofMinutes(7), settings.msgExpire());
        assertEquals("7m", settings.msgExpireText());
        assertEquals("middle", settings.login());
        assertEquals("pw", settings.password());
        assertEquals("0.0.0.0", settings.host(), "the default when no source sets it");

        Settings lower = Settings.parse(Settings.layered(name -> null, middle::get, low::get));
        assertEquals("5m", lower.msgExpireText(), "an unset source is passed over");
    }

    @Test
    void systemPropertyBeatsContextParameter() {
        System.setProperty("WS_MSG_EXPIRE", "7m");
        try (TestServer server = TestServer.start(Map.of("WS_MSG_EXPIRE", "5m"))) {
            assertEquals("7m", defaultExp(server.port(), TestServer.LOGIN, TestServer.PASSWORD));
        } finally {
            System.clearProperty("WS_MSG_EXPIRE");
        }
    }

    @Test
    void contextParameterBeatsDefault() {
        try (TestServer server = TestServer.start(Map.of("WS_MSG_EXPIRE", "5m"))) {
            assertEquals("5m", defaultExp(server.port(), TestServer.LOGIN, TestServer.PASSWORD));
        }
    }

    @Test
    void defaultIsThirtyMinutes() {
        try (TestServer server = TestServer.start()) {
            assertEquals("30m", defaultExp(server.port(), TestServer.LOGIN, TestServer.PASSWORD));
        }
    }

    @Test
    void tomcatContextFileParameterIsHonouredAndOverrideFalseBeatsAContextParam() throws Exception {
        Path file = Files.createTempFile("goctopus-context", ".xml");
        try {
            Files.writeString(file, "<Context>\n"
                    + "  <Parameter name=\"WS_MSG_EXPIRE\" value=\"9m\" override=\"false\"/>\n"
                    + "</Context>\n");
            Map<String, String> parameters = new HashMap<>(TestServer.defaults());
            parameters.put("WS_MSG_EXPIRE", "5m"); // as a context-param in the WAR's web.xml
            try (EmbeddedServer server = EmbeddedServer.at(Path.of("webapp")).listen("127.0.0.1", 0)
                    .classes(Path.of("target/classes")).contextFile(file).parameters(parameters).start()) {
                assertEquals("9m", defaultExp(server.port(), TestServer.LOGIN, TestServer.PASSWORD));
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void theRepositorysRootXmlStartsTheServiceWithItsParameters() throws Exception {
        // As shipped: the proxy authorizer at an https URL (not called here), credentials
        // backend/change-me, one allowed Origin, WS_MSG_EXPIRE 30m. No other parameter.
        try (EmbeddedServer server = EmbeddedServer.at(Path.of("webapp")).listen("127.0.0.1", 0)
                .classes(Path.of("target/classes")).contextFile(ROOT_XML).start()) {
            int port = server.port();
            assertEquals(200, send(port, "GET", "/readyz", null, null, null).statusCode());
            assertEquals(200, send(port, "GET", "/", "backend", "change-me", null).statusCode(),
                    "WS_LOGIN/WS_PASSWORD from ROOT.xml");
            assertEquals(403, send(port, "GET", "/", TestServer.LOGIN, TestServer.PASSWORD, null).statusCode());
            assertEquals("30m", defaultExp(port, "backend", "change-me"));
            try (RawUpgrade up = RawUpgrade.open(port, "/", Map.of("Origin", "https://evil.example"))) {
                assertEquals(403, up.status(), "WS_ALLOWED_ORIGINS from ROOT.xml: " + up.head());
            }
        }
    }

    // --- helpers ---------------------------------------------------------------------------------

    /** Posts a message without "expire" and reads back its "exp". */
    private static String defaultExp(int port, String login, String password) {
        HttpResponse<String> posted = send(port, "POST", "/", login, password, "{\"key\":\"p\",\"value\":1}");
        assertEquals(202, posted.statusCode(), posted.body());
        String id = Api.json(posted.body()).asJsonObject().getString("id");
        HttpResponse<String> queued = send(port, "GET", "/?key=p", login, password, null);
        assertEquals(200, queued.statusCode(), queued.body());
        var message = Api.json(queued.body()).asJsonArray().getJsonObject(0);
        assertEquals(id, message.getString("id"));
        return message.getString("exp");
    }

    private static HttpResponse<String> send(int port, String method, String path, String login, String password,
                                             String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (login != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((login + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
