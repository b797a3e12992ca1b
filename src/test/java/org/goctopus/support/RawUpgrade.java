package org.goctopus.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A websocket handshake written byte by byte on a plain socket, so a test sees
 * exactly what is on the wire: the status line and headers of a refused upgrade,
 * or a socket that completes the handshake and then never reads (a stalled client).
 */
public final class RawUpgrade implements AutoCloseable {

    private final Socket socket;
    private final String head;

    private RawUpgrade(Socket socket, String head) {
        this.socket = socket;
        this.head = head;
    }

    /** Sends an upgrade request to {@code path} with extra headers and reads the response head. */
    public static RawUpgrade open(int port, String method, String path, Map<String, String> headers)
            throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096); // a client that stops reading stalls the server's writes sooner
        socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(20_000);
        StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(port).append("\r\n")
                .append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
                .append("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n");
        headers.forEach((k, v) -> request.append(k).append(": ").append(v).append("\r\n"));
        request.append("Content-Length: 0\r\n\r\n");
        OutputStream out = socket.getOutputStream();
        out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return new RawUpgrade(socket, readHead(socket.getInputStream()));
    }

    public static RawUpgrade open(int port, String path, Map<String, String> headers) throws IOException {
        return open(port, "GET", path, headers);
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    public int status() {
        return Integer.parseInt(head.substring(9, 12));
    }

    public String head() {
        return head;
    }

    /** Reads the response body of a refused upgrade (by its Content-Length). */
    public String body() throws IOException {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                int n = Integer.parseInt(line.substring(15).trim());
                return new String(socket.getInputStream().readNBytes(n), StandardCharsets.UTF_8);
            }
        }
        return "";
    }

    /**
     * Reads the server's frames, discarding data, up to its close frame: its status code, as
     * the client sees it; 1006 (as a browser reports it) if the connection ends without one.
     */
    public int readUntilClose() throws IOException {
        InputStream in = socket.getInputStream();
        try {
            return readFramesUntilClose(in);
        } catch (java.io.EOFException | java.net.SocketException e) {
            return 1006; // cut in the middle of a frame, or reset
        }
    }

    private static int readFramesUntilClose(InputStream in) throws IOException {
        while (true) {
            int first = in.read();
            int second = in.read();
            if (first < 0 || second < 0) {
                return 1006;
            }
            long length = second & 0x7f; // frames from a server are never masked
            if (length == 126) {
                length = ((long) in.read() << 8) | in.read();
            } else if (length == 127) {
                length = 0;
                for (int i = 0; i < 8; i++) {
                    length = (length << 8) | in.read();
                }
            }
            byte[] payload = in.readNBytes((int) Math.min(length, 125));
            in.skipNBytes(length - payload.length);
            if ((first & 0x0f) == 0x8) {
                return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
            }
        }
    }

    /**
     * Reads and discards everything until the server ends the connection (a close frame, then
     * the TCP close, or a cut); fails if it has not within the socket's 20 s read timeout.
     */
    public void readUntilTheServerHangsUp() throws IOException {
        InputStream in = socket.getInputStream();
        byte[] discard = new byte[65536];
        try {
            while (in.read(discard) >= 0) {
                // what was under way, then whatever the server sends before it hangs up
            }
        } catch (java.net.SocketException e) {
            // reset: hung up as well
        }
    }

    public Socket socket() {
        return socket;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
