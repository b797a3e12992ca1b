package org.goctopus.support;

import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link TestServer} for a test class, its queues emptied before each test:
 * {@code @RegisterExtension static final ServerExtension app = new ServerExtension();}
 */
public final class ServerExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {

    private final Map<String, String> settings;
    private TestServer server;
    private Api api;

    public ServerExtension() {
        this(Map.of());
    }

    /** @param settings overriding {@link TestServer#defaults()} */
    public ServerExtension(Map<String, String> settings) {
        this.settings = settings;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = TestServer.start(settings);
        api = server.api();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        server.close();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        api.delete("/");
    }

    public TestServer server() {
        return server;
    }

    public Api api() {
        return api;
    }
}
