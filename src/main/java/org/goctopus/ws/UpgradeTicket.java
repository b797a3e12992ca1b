package org.goctopus.ws;

import java.security.Principal;
import java.util.List;
import org.goctopus.core.Hub;

/**
 * The outcome of an authorized upgrade, handed from {@link UpgradeFilter} to the
 * endpoint as the request's Principal: a portable channel on Tomcat and on Tyrus
 * (Payara), where the Configurator cannot reach the servlet context.
 */
public record UpgradeTicket(List<String> keys, Hub hub, FrameWriter writer, long writeTimeoutMillis, int maxMessageSize)
        implements Principal {

    /** Where the Configurator puts the ticket among the connection's user properties. */
    static final String PROPERTY = UpgradeTicket.class.getName();

    @Override
    public String getName() {
        return String.join(",", keys);
    }
}
