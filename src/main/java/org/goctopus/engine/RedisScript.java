package org.goctopus.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One of the engine's Lua scripts (src/main/resources/org/goctopus/engine/redis), with
 * its SHA-1, which is how Redis names a script it has cached: the engine sends the
 * SHA, and the text only when Redis answers that it does not know it (after a restart).
 */
enum RedisScript {
    PUBLISH("publish"),
    REMOVE("remove"),
    DELETE_KEY("delete-key"),
    EXPIRE("expire"),
    READ("read"),
    HISTORY("history"),
    PRESENCE_CHANGE("presence-change"),
    PRESENCE_HEARTBEAT("presence-heartbeat"),
    PRESENCE_REWRITE("presence-rewrite"),
    PRESENCE_COUNTS("presence-counts");

    private final String operation;
    private final String text;
    private final String sha;

    RedisScript(String name) {
        this.operation = name;
        this.text = load(name);
        this.sha = sha1(text);
    }

    /** The operation's name, for the latency metric's label. */
    String operation() {
        return operation;
    }

    String text() {
        return text;
    }

    String sha() {
        return sha;
    }

    private static String load(String name) {
        try (InputStream in = RedisScript.class.getResourceAsStream("redis/" + name + ".lua")) {
            if (in == null) {
                throw new IllegalStateException("missing script redis/" + name + ".lua");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every JDK", e);
        }
    }
}
