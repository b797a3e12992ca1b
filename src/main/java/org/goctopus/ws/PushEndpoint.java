package org.goctopus.ws;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.logging.Logger;
import org.goctopus.core.CloseCode;
import org.goctopus.core.Connection;
import org.goctopus.core.Hub;
import org.goctopus.json.StrictJson;
import org.goctopus.log.Log;

/**
 * The websocket at {@code /}: registers the socket under its authorized keys,
 * then reads ACKs. Inbound frames are taken in parts so that the container's
 * per-socket buffers stay small while WS_MAX_MESSAGE_SIZE is enforced here.
 */
@ServerEndpoint(value = PushEndpoint.PATH, configurator = HandshakeConfigurator.class)
public class PushEndpoint {

    public static final String PATH = "/";
    private static final Logger LOG = Logger.getLogger(PushEndpoint.class.getName());
    /** Tomcat's bound on a blocking send (a close frame, a ping); other containers ignore it. */
    private static final String TOMCAT_BLOCKING_SEND_TIMEOUT = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";

    private Hub hub;
    private Connection connection;
    private int maxMessageSize;
    private final StringBuilder text = new StringBuilder();
    private long frameBytes;

    @OnOpen
    public void open(Session session) {
        UpgradeTicket ticket = (UpgradeTicket) session.getUserProperties().get(UpgradeTicket.PROPERTY);
        hub = ticket.hub();
        maxMessageSize = ticket.maxMessageSize();
        session.setMaxIdleTimeout(0); // the hub's sweeper owns read timeouts and pings
        session.getUserProperties().put(TOMCAT_BLOCKING_SEND_TIMEOUT, ticket.writeTimeoutMillis());
        connection = hub.register(ticket.keys(), new SessionTransport(session, hub.workers()));
    }

    @OnMessage
    public void text(String part, boolean last) {
        if (countAndCheck(part.getBytes(StandardCharsets.UTF_8).length, last)) {
            text.append(part);
            if (last) {
                String frame = text.toString();
                text.setLength(0);
                acknowledge(frame);
            }
        }
    }

    @OnMessage
    public void binary(ByteBuffer part, boolean last) {
        countAndCheck(part.remaining(), last); // never an ACK: only its size matters
    }

    @OnMessage
    public void pong(PongMessage pong) {
        connection.touched();
    }

    /** Counts a frame part; false once the frame is over the limit (the socket is then closed with 1009). */
    private boolean countAndCheck(int bytes, boolean last) {
        connection.touched();
        frameBytes += bytes;
        boolean fits = frameBytes <= maxMessageSize;
        if (!fits) {
            text.setLength(0);
            connection.close(CloseCode.MESSAGE_TOO_BIG);
        }
        if (last) {
            frameBytes = 0;
        }
        return fits && !connection.isClosed();
    }

    /** {@code {"id": "<uuid>"}} acknowledges; any other frame is ignored. */
    private void acknowledge(String frame) {
        UUID id = ackId(frame);
        if (id != null) {
            hub.ack(connection, id);
        } else {
            Log.debug(LOG, "ignored a frame that is not an ACK", "conn", connection.id());
        }
    }

    static UUID ackId(String frame) {
        try {
            if (StrictJson.parse(frame) instanceof JsonObject object && object.get("id") instanceof JsonString id) {
                return UUID.fromString(id.getString());
            }
        } catch (StrictJson.InvalidJsonException | IllegalArgumentException e) {
            // not JSON, or not a UUID: not an ACK
        }
        return null;
    }

    @OnClose
    public void close(Session session, CloseReason reason) {
        if (connection != null) {
            connection.closedByPeer();
        }
    }

    @OnError
    public void error(Session session, Throwable error) {
        if (connection != null) {
            connection.closedByPeer();
        }
        // A vanished peer is routine; anything else is worth a look.
        long id = connection == null ? 0 : connection.id();
        if (error instanceof IOException || error.getCause() instanceof IOException) {
            Log.debug(LOG, "socket I/O error", "conn", id, "error", error);
        } else {
            Log.warn(LOG, error, "socket failed", "conn", id);
        }
    }
}
