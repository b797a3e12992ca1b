package bench;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * How one server is addressed: where sockets connect, how a message is published, whether
 * ACKs are due. A server may be several instances (goctopus on one Redis): the load
 * generator then spreads sockets and publishers over them in turn, as a round-robin load
 * balancer would; everything else (checks, the first publisher) goes to the first.
 */
abstract class Target {
    final String name;
    final List<InetSocketAddress> addresses;
    final InetSocketAddress address;
    final String host;

    Target(String name, List<Integer> ports) {
        this.name = name;
        this.addresses = ports.stream().map(p -> new InetSocketAddress("127.0.0.1", p)).toList();
        this.address = addresses.get(0);
        this.host = "127.0.0.1:" + ports.get(0);
    }

    /** The instance the n-th socket or publisher uses. */
    InetSocketAddress instance(int n) {
        return addresses.get(Math.floorMod(n, addresses.size()));
    }

    /** The upgrade request of a socket for user (the auth stub's key), org, subscribed to channel. */
    abstract byte[] handshake(String user, String org, String channel);

    /** One complete publish request of {"t":t,"s":s} to key. */
    abstract byte[] publish(String key, long t, long s);

    abstract boolean acks();

    static Target of(String name, List<Integer> ports, String login, String password) {
        return switch (name) {
            case "goctopus" -> new Goctopus(ports, login, password);
            case "nchan" -> new Nchan(ports);
            default -> throw new IllegalArgumentException("unknown target " + name);
        };
    }

    static byte[] concat(String head, String body) {
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        byte[] b = body.getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[h.length + b.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(b, 0, all, h.length, b.length);
        return all;
    }

    /** Goctopus: ws://host/ with the cookie; its keys are user and org; POST / with Basic auth. */
    static final class Goctopus extends Target {
        /** The Basic credentials' header value, for requests other than a publish. */
        final String authorization;

        Goctopus(List<Integer> ports, String login, String password) {
            super("goctopus", ports);
            authorization = "Basic " + Base64.getEncoder()
                    .encodeToString((login + ":" + password).getBytes(StandardCharsets.UTF_8));
        }

        @Override
        byte[] handshake(String user, String org, String channel) {
            return WsClient.handshake(host, "/", "key=" + user + "; org=" + org);
        }

        @Override
        byte[] publish(String key, long t, long s) {
            String body = "{\"key\":\"" + key + "\",\"value\":{\"t\":" + t + ",\"s\":" + s + "}}";
            return concat("POST / HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: " + authorization
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n", body);
        }

        @Override
        boolean acks() {
            return true;
        }
    }

    /** Nchan: /sub?id=CHANNEL (authorized by the same stub), POST /pub?id=KEY with the bare value. */
    static final class Nchan extends Target {
        Nchan(List<Integer> ports) {
            super("nchan", ports);
        }

        @Override
        byte[] handshake(String user, String org, String channel) {
            return WsClient.handshake(host, "/sub?id=" + channel, "key=" + user);
        }

        @Override
        byte[] publish(String key, long t, long s) {
            String body = "{\"t\":" + t + ",\"s\":" + s + "}";
            return concat("POST /pub?id=" + key + " HTTP/1.1\r\nHost: " + host
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n", body);
        }

        @Override
        boolean acks() {
            return false;
        }
    }
}
