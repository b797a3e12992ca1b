package org.goctopus.ws;

import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;

/**
 * Completes an upgrade that {@link UpgradeFilter} authorized. A Configurator
 * cannot answer 401/403/503 (throwing gives a 500), so the refusals happen in the
 * filter; here the authorized ticket moves into the connection's properties.
 * One instance serves every connection; the config passed in is per connection.
 */
public class HandshakeConfigurator extends ServerEndpointConfig.Configurator {

    @Override
    public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
        if (!(request.getUserPrincipal() instanceof UpgradeTicket ticket)) {
            // Only reachable if the filter was bypassed: fail closed.
            throw new IllegalStateException("upgrade without an authorization ticket");
        }
        config.getUserProperties().put(UpgradeTicket.PROPERTY, ticket);
    }
}
