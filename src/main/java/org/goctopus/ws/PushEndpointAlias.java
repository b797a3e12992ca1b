package org.goctopus.ws;

import jakarta.websocket.server.ServerEndpoint;

/** The same websocket at {@code /ws}, for proxies that route by path. */
@ServerEndpoint(value = PushEndpointAlias.PATH, configurator = HandshakeConfigurator.class)
public class PushEndpointAlias extends PushEndpoint {
    public static final String PATH = "/ws";
}
