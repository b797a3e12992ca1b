package org.goctopus.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.goctopus.core.CloseCode;
import org.goctopus.support.Await;
import org.junit.jupiter.api.Test;

/**
 * A close asked for while a batched write blocks (its peer slow to read) waits for that
 * write to end: sent meanwhile, the close frame would land inside the batch's bytes, and
 * the client would read a corrupt stream instead of 1013.
 */
class SessionTransportTest {

    private final List<String> events = new CopyOnWriteArrayList<>();
    private final CountDownLatch writing = new CountDownLatch(1);
    private final CountDownLatch peerReads = new CountDownLatch(1);

    /** A session whose blocking sends wait until the peer reads; it records writes and closes. */
    private Session slowPeer() {
        RemoteEndpoint.Basic remote = (RemoteEndpoint.Basic) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {RemoteEndpoint.Basic.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "sendText" -> {
                            writing.countDown();
                            assertTrue(peerReads.await(10, TimeUnit.SECONDS));
                            events.add("written");
                        }
                        case "setBatchingAllowed" -> { }
                        case "getBatchingAllowed" -> {
                            return true; // a container that batches, as Tomcat does
                        }
                        default -> throw new UnsupportedOperationException(method.getName());
                    }
                    return null;
                });
        return (Session) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Session.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getBasicRemote" -> remote;
                    case "close" -> {
                        events.add("close " + ((CloseReason) args[0]).getCloseCode().getCode());
                        yield null;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void aCloseDuringABatchedWriteWaitsForItsEnd() throws Exception {
        SessionTransport transport = new SessionTransport(slowPeer(), new BatchingWriter(), Runnable::run);
        transport.send(PerFrameWriterTest.messages(1), error -> events.add("done"));
        assertTrue(writing.await(10, TimeUnit.SECONDS));
        transport.close(CloseCode.TRY_AGAIN_LATER);
        assertEquals(List.of(), events, "closed while the batch was being written");
        peerReads.countDown();
        Await.until(() -> events.size() == 3);
        assertEquals(List.of("written", "done", "close 1013"), events);
    }

    @Test
    void aCloseWithNoWriteUnderWayIsAtOnce() {
        SessionTransport transport = new SessionTransport(slowPeer(), new BatchingWriter(), Runnable::run);
        transport.close(CloseCode.GOING_AWAY);
        assertEquals(List.of("close 1001"), events);
    }
}
