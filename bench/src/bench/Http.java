package bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.1 keep-alive connection over a plain socket: writes a request, reads the status
 * line, the headers and a Content-Length or chunked body. Reconnects when the server said
 * "Connection: close" (or closed an idle connection). Not thread-safe: one per publisher thread.
 */
final class Http implements AutoCloseable {
    private final InetSocketAddress server;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private boolean mustReconnect = true;
    long reconnects;
    String lastBody = "";

    Http(InetSocketAddress server) {
        this.server = server;
    }

    private void connect() throws IOException {
        close();
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(30_000);
        socket.connect(server, 10_000);
        in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        out = socket.getOutputStream();
        mustReconnect = false;
        reconnects++;
    }

    /** Sends one complete request (head and body in one array); returns the status. */
    int exchange(byte[] request, boolean keepBody) throws IOException {
        if (mustReconnect) {
            connect();
        }
        try {
            out.write(request);
            out.flush();
            return readResponse(keepBody);
        } catch (IOException e) {
            mustReconnect = true;
            throw e;
        }
    }

    private int readResponse(boolean keepBody) throws IOException {
        String status = line();
        if (status == null) {
            throw new IOException("connection closed before the status line");
        }
        int code = Integer.parseInt(status.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        String h;
        while ((h = line()) != null && !h.isEmpty()) {
            int colon = h.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = h.substring(0, colon).trim();
            String value = h.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Content-Length")) {
                length = Long.parseLong(value);
            } else if (name.equalsIgnoreCase("Transfer-Encoding") && value.equalsIgnoreCase("chunked")) {
                chunked = true;
            } else if (name.equalsIgnoreCase("Connection") && value.equalsIgnoreCase("close")) {
                mustReconnect = true;
            }
        }
        StringBuilder body = keepBody ? new StringBuilder() : null;
        if (chunked) {
            while (true) {
                String size = line();
                if (size == null) {
                    throw new IOException("eof in chunked body");
                }
                int semi = size.indexOf(';');
                long n = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
                if (n == 0) {
                    while ((h = line()) != null && !h.isEmpty()) {
                        // trailers
                    }
                    break;
                }
                skip(n, body);
                line();
            }
        } else if (length >= 0) {
            skip(length, body);
        } else if (code >= 200 && code != 204 && code != 304) {
            mustReconnect = true; // body until close: read it and drop the connection
            skip(Long.MAX_VALUE, body);
        }
        lastBody = body == null ? "" : body.toString();
        return code;
    }

    private void skip(long n, StringBuilder keep) throws IOException {
        byte[] buf = new byte[4096];
        while (n > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, n));
            if (r < 0) {
                if (n >= Long.MAX_VALUE / 2) {
                    return;
                }
                throw new IOException("eof in body");
            }
            if (keep != null) {
                keep.append(new String(buf, 0, r, StandardCharsets.UTF_8));
            }
            n -= r;
        }
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder(64);
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                int l = sb.length();
                if (l > 0 && sb.charAt(l - 1) == '\r') {
                    sb.setLength(l - 1);
                }
                return sb.toString();
            }
            sb.append((char) c);
            if (sb.length() > 65536) {
                throw new IOException("header line too long");
            }
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing
            }
            socket = null;
        }
    }
}
