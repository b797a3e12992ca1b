package org.goctopus.deploy;

import java.net.URI;

/** The service deployed somewhere on 127.0.0.1: embedded, on a standalone Tomcat, on Payara Micro. */
public interface Deployment extends AutoCloseable {

    int port();

    /** "" for the root context, else "/name". */
    String contextPath();

    default URI http(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port() + contextPath() + pathAndQuery);
    }

    default URI ws(String path) {
        return URI.create("ws://127.0.0.1:" + port() + contextPath() + path);
    }

    /** What the server logged so far (embedded: what the test JVM logged meanwhile). */
    String log();

    /** Stops the server (undeploying the application); waits until it is gone. */
    @Override
    void close();
}
