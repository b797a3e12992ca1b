package org.goctopus.support;

import jakarta.json.JsonValue;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The {@link TestServer} of a settings profile for a test class, its queues emptied before each
 * test: {@code @RegisterExtension static final ServerExtension app = new ServerExtension();}
 * The first class of the test JVM that asks for these settings boots it; the next ones share
 * it, and it stops when the JVM's tests end (JUnit closes what the root store holds). On a
 * standalone container a boot is most of what a class costs: Payara Micro takes 5 to 10 s.
 * A class starts once the sockets of the classes before it are gone, so that presence and
 * the open-socket gauge read as on a server of its own.
 */
public final class ServerExtension implements BeforeAllCallback, BeforeEachCallback {

    private static final ExtensionContext.Namespace SHARED = ExtensionContext.Namespace.create(ServerExtension.class);

    private final Map<String, String> settings;
    private TestServer server;
    private Api api;

    public ServerExtension() {
        this(Map.of());
    }

    /** @param settings overriding {@link TestServer#defaults()} */
    public ServerExtension(Map<String, String> settings) {
        this.settings = Map.copyOf(settings);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = context.getRoot().getStore(SHARED)
                .getOrComputeIfAbsent(settings, s -> TestServer.start(settings), TestServer.class);
        api = server.api();
        Await.until(Duration.ofSeconds(30),
                () -> Api.json(api.get("/?presence").body()).equals(JsonValue.EMPTY_JSON_OBJECT));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        HttpResponse<String> emptied = api.delete("/");
        if (emptied.statusCode() != 200) {
            throw new IllegalStateException("DELETE / answered " + emptied.statusCode() + ": " + emptied.body());
        }
    }

    public TestServer server() {
        return server;
    }

    public Api api() {
        return api;
    }
}
