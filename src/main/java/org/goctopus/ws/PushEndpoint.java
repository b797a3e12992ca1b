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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.logging.Logger;
import org.goctopus.core.CloseCode;
import org.goctopus.core.Connection;
import org.goctopus.core.Hub;
import org.goctopus.json.JsonText;
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
    /**
     * How long Tomcat waits for the peer's answer to our close frame before dropping the
     * connection (30 s by default): a peer closed for being silent will not answer.
     */
    private static final String TOMCAT_SESSION_CLOSE_TIMEOUT = "org.apache.tomcat.websocket.SESSION_CLOSE_TIMEOUT";
    /** How much later than WS_WRITE_TIMEOUT the container's own send timeout fires. */
    private static final long BACKSTOP_MILLIS = 2_000;

    private Hub hub;
    private Connection connection;
    private int maxMessageSize;
    /** The inbound frame being read, text or binary, as bytes. */
    private final ByteArrayOutputStream frame = new ByteArrayOutputStream();

    @OnOpen
    public void open(Session session) {
        UpgradeTicket ticket = (UpgradeTicket) session.getUserProperties().get(UpgradeTicket.PROPERTY);
        hub = ticket.hub();
        maxMessageSize = ticket.maxMessageSize();
        session.setMaxIdleTimeout(0); // the hub's sweeper owns read timeouts and pings
        // The container's send timeouts (blocking and asynchronous) are a backstop, later than
        // the hub's sweeper (which checks at least every second): a stalled write is then closed
        // by the sweeper, with 1013, and counted, and the close, which waits for the write under
        // way, waits a bounded time. At the same moment, Tomcat would close the session itself,
        // as a broken one.
        long sendTimeout = ticket.writeTimeoutMillis() + BACKSTOP_MILLIS;
        session.getUserProperties().put(TOMCAT_BLOCKING_SEND_TIMEOUT, sendTimeout);
        session.getAsyncRemote().setSendTimeout(sendTimeout);
        session.getUserProperties().put(TOMCAT_SESSION_CLOSE_TIMEOUT, ticket.writeTimeoutMillis());
        connection = hub.register(ticket.keys(), new SessionTransport(session, ticket.writer(), hub.workers()));
    }

    @OnMessage
    public void text(String part, boolean last) {
        received(part.getBytes(StandardCharsets.UTF_8), last);
    }

    /** Goctopus takes an ACK in a binary frame too. */
    @OnMessage
    public void binary(ByteBuffer part, boolean last) {
        byte[] bytes = new byte[part.remaining()];
        part.get(bytes);
        received(bytes, last);
    }

    @OnMessage
    public void pong(PongMessage pong) {
        if (connection != null) {
            connection.touched();
        }
    }

    /**
     * One part of an inbound frame; past WS_MAX_MESSAGE_SIZE the socket is closed with 1009.
     * A frame that comes before the socket is registered, or after its registration failed,
     * is dropped: an ACK then is one the client will send again when the message comes again.
     */
    private void received(byte[] part, boolean last) {
        if (connection == null) {
            Log.debug(LOG, "ignored a frame of an unregistered socket");
            return;
        }
        connection.touched();
        if (connection.isClosed()) {
            return;
        }
        if (frame.size() + (long) part.length > maxMessageSize) {
            frame.reset();
            connection.close(CloseCode.MESSAGE_TOO_BIG);
            return;
        }
        frame.write(part, 0, part.length);
        if (last) {
            String text = frame.toString(StandardCharsets.UTF_8);
            frame.reset();
            acknowledge(text);
        }
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
            if (JsonText.parse(frame) instanceof JsonObject object && object.get("id") instanceof JsonString id) {
                return UUID.fromString(id.getString());
            }
        } catch (JsonText.InvalidJsonException | IllegalArgumentException e) {
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
        // Before registration there is no connection id yet: the container's session id then.
        String which = connection == null ? "session" : "conn";
        Object id = connection == null ? session.getId() : connection.id();
        if (error instanceof IOException || error.getCause() instanceof IOException) {
            Log.debug(LOG, "socket I/O error", which, id, "error", error);
        } else {
            Log.warn(LOG, error, "socket failed", which, id);
        }
    }
}
