package org.goctopus.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on 127.0.0.1 in front of a server, to play the network: {@link #freeze} stops
 * forwarding in both directions while every socket stays open, as when a client's network
 * vanishes (no FIN, no RST: the server learns nothing from the kernel); {@link #cut} closes
 * every connection relayed so far, as a network that drops them, and keeps relaying new ones;
 * {@link #refuse} closes new ones at once, as a server that is down; {@link #retarget} sends
 * new ones to another server, as one address for a restarted service.
 */
public final class TcpProxy implements AutoCloseable {

    private final ServerSocket listener;
    private volatile int targetPort;
    private volatile boolean refusing;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean frozen;

    private TcpProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accepting = new Thread(this::accept, "tcp-proxy-accept");
        accepting.setDaemon(true);
        accepting.start();
    }

    public static TcpProxy to(int targetPort) {
        try {
            return new TcpProxy(targetPort);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** From now on nothing is forwarded either way; the sockets stay open. */
    public void freeze() {
        frozen = true;
    }

    /** Closes every connection relayed so far, both sides; new connections are relayed as before. */
    public void cut() {
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException e) {
                // closing is all that is asked
            }
        }
        sockets.clear();
    }

    /** While on, every new connection is closed at once. */
    public void refuse(boolean on) {
        refusing = on;
    }

    /** New connections go to {@code port} from now on. */
    public void retarget(int port) {
        targetPort = port;
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                if (refusing) {
                    client.close();
                    continue;
                }
                Socket server;
                try {
                    server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                } catch (IOException e) {
                    client.close(); // the server is down: so is the relay's connection
                    continue;
                }
                sockets.add(client);
                sockets.add(server);
                relay(client, server);
                relay(server, client);
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void relay(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                // Once frozen, what was read is dropped and nothing more is: it stays in the
                // kernel's buffers, as on a dead path, and no socket is closed.
                for (int n; (n = in.read(buffer)) >= 0 && !frozen; ) {
                    out.write(buffer, 0, n);
                }
                if (!frozen) {
                    to.shutdownOutput(); // a FIN is forwarded as one
                }
            } catch (IOException e) {
                // closed
            }
        }, "tcp-proxy-relay");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() {
        try {
            listener.close();
            for (Socket s : sockets) {
                s.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
