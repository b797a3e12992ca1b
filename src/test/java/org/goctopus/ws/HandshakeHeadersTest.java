package org.goctopus.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Collections;
import java.util.List;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.connector.Request;
import org.junit.jupiter.api.Test;

/**
 * What the container's websocket filter sees of an authorized upgrade: it keeps
 * those headers for the socket's whole life, so only the handshake's own pass
 * (a browser's cookies alone can be kilobytes per socket). The request is
 * Tomcat's own, built as its connector builds one.
 */
class HandshakeHeadersTest {

    private static final UpgradeTicket TICKET = new UpgradeTicket(List.of("alice"), null, null, 1000, 1024);

    private static Request browserUpgrade() {
        org.apache.coyote.Request coyote = new org.apache.coyote.Request();
        String[][] headers = {
            {"Host", "push.example.com"}, {"Upgrade", "websocket"}, {"Connection", "Upgrade"},
            {"Origin", "https://app.example.com"}, {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="},
            {"Sec-WebSocket-Version", "13"}, {"Sec-WebSocket-Protocol", "chat"},
            {"Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits"},
            {"Cookie", "session=" + "x".repeat(2000)}, {"User-Agent", "Mozilla/5.0 (X11; Linux x86_64)"},
            {"Accept-Language", "en-US,en;q=0.9"}, {"Authorization", "Bearer secret"},
        };
        for (String[] header : headers) {
            coyote.getMimeHeaders().addValue(header[0]).setString(header[1]);
        }
        return new Request(new Connector(), coyote);
    }

    @Test
    void onlyTheHandshakeHeadersPass() {
        UpgradeFilter.TicketedRequest request = new UpgradeFilter.TicketedRequest(browserUpgrade(), TICKET, false);

        assertEquals(List.of("host", "upgrade", "connection", "sec-websocket-key", "sec-websocket-version",
                "sec-websocket-protocol"),
                Collections.list(request.getHeaderNames()).stream().map(String::toLowerCase).toList());
        assertNull(request.getHeader("Cookie"));
        assertNull(request.getHeader("authorization"));
        assertNull(request.getHeader("Origin"));
        assertFalse(request.getHeaders("User-Agent").hasMoreElements());
        assertEquals("13", request.getHeader("sec-websocket-version"));
        assertSame(TICKET, request.getUserPrincipal());
    }

    @Test
    void theExtensionOfferPassesOnlyWithCompression() {
        UpgradeFilter.TicketedRequest plain = new UpgradeFilter.TicketedRequest(browserUpgrade(), TICKET, false);
        UpgradeFilter.TicketedRequest compressed = new UpgradeFilter.TicketedRequest(browserUpgrade(), TICKET, true);

        assertNull(plain.getHeader("Sec-WebSocket-Extensions"));
        assertEquals("permessage-deflate; client_max_window_bits", compressed.getHeader("Sec-WebSocket-Extensions"));
        assertEquals(7, Collections.list(compressed.getHeaderNames()).size());
    }
}
