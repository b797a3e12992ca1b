package org.goctopus.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The upgrades refused in the last {@value #TTL_SECONDS} seconds, per client. A browser's
 * WebSocket reports every refused upgrade as 1006, so the client library asks the why
 * endpoint, which answers from here: never a second auth call, so an auth outage is not
 * doubled. A client is its address with its Cookie and Authorization, hashed (no
 * credential is kept). At most {@value #MAX_ENTRIES} clients, the oldest forgotten first:
 * some 250 bytes each, so 2.5 MB at most.
 */
public final class RecentRefusals {

    static final int MAX_ENTRIES = 10_000;
    static final long TTL_SECONDS = 60;

    /** A refusal as the client's upgrade got it. */
    public record Refusal(int status, String reason, long retryAfterSeconds, long atNanos) {
    }

    private final Map<String, Refusal> refusals = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Refusal> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    public void refused(String address, String cookie, String authorization, int status, String reason,
                        long retryAfterSeconds) {
        String client = client(address, cookie, authorization);
        synchronized (refusals) {
            refusals.remove(client); // re-inserted last: eviction goes by the latest refusal
            refusals.put(client, new Refusal(status, reason, retryAfterSeconds, System.nanoTime()));
        }
    }

    /** An allowed upgrade: a later failure of this client is no longer explained by an old refusal. */
    public void allowed(String address, String cookie, String authorization) {
        synchronized (refusals) {
            if (refusals.isEmpty()) {
                return; // the usual case costs no digest
            }
        }
        String client = client(address, cookie, authorization);
        synchronized (refusals) {
            refusals.remove(client);
        }
    }

    /** The client's refusal of the last {@value #TTL_SECONDS} seconds, if any. */
    public Optional<Refusal> last(String address, String cookie, String authorization) {
        String client = client(address, cookie, authorization);
        synchronized (refusals) {
            Refusal refusal = refusals.get(client);
            if (refusal != null && System.nanoTime() - refusal.atNanos() > TTL_SECONDS * 1_000_000_000L) {
                refusals.remove(client);
                return Optional.empty();
            }
            return Optional.ofNullable(refusal);
        }
    }

    private static String client(String address, String cookie, String authorization) {
        // Absent and empty are told apart, and no field can run into the next.
        String text = address + "\n" + (cookie == null ? "-" : "+" + cookie)
                + "\n" + (authorization == null ? "-" : "+" + authorization);
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha256.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
