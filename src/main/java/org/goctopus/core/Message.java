package org.goctopus.core;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One accepted message. Its frame, {@code {"id": ..., "payload": ...}}, is built
 * once per publish and shared by every socket it goes to. A re-post with the same
 * id replaces the value and expiry in place ({@link #replace}): the sequence
 * number, and so the queue position, stays.
 */
public final class Message {

    private final UUID id;
    private final long seq;
    private final List<String> keys;
    private final Instant date;
    private volatile Version version;
    private volatile boolean gone;

    /** What a re-post replaces; swapped as a whole so readers never see half of one. */
    private record Version(String frame, int size, long expiresAtMillis, String expireText,
                           long acceptedNanos) {
    }

    /** Length of {@code {"id":"<36 chars>","payload":}, where the value starts in the frame. */
    private static final int PAYLOAD_OFFSET = "{\"id\":\"\",\"payload\":".length() + 36;

    /**
     * @param seq  its place in the store's acceptance order
     * @param date when the store accepted it, on the store's clock
     */
    public Message(UUID id, long seq, List<String> keys, Instant date, String payloadJson, long expiresAtMillis,
            String expireText) {
        this.id = id;
        this.seq = seq;
        this.keys = List.copyOf(keys);
        this.date = date;
        replace(payloadJson, expiresAtMillis, expireText, date);
    }

    /**
     * Replaces value and expiry in place, as a re-post accepted at {@code repostedAt} did.
     * Called by the engine, which re-files the expiry.
     */
    public void replace(String payloadJson, long expiresAtMillis, String expireText, Instant repostedAt) {
        String frame = "{\"id\":\"" + id + "\",\"payload\":" + payloadJson + "}";
        version = new Version(frame, sizeOf(payloadJson), expiresAtMillis, expireText, nanoTimeOf(repostedAt));
    }

    /** The {@link System#nanoTime()} reading of a past instant, for latencies measured from it. */
    private static long nanoTimeOf(Instant instant) {
        // Another host's clock (Redis's) may be slightly ahead: never a negative age.
        return System.nanoTime() - Math.max(0, java.time.Duration.between(instant, Instant.now()).toNanos());
    }

    /** What a value counts against WS_MAX_QUEUED_BYTES: its JSON text's UTF-8 bytes. */
    public static int sizeOf(String payloadJson) {
        return payloadJson.getBytes(StandardCharsets.UTF_8).length;
    }

    public UUID id() {
        return id;
    }

    /** Acceptance order: the order of the 202s, which is the order every socket sees. */
    public long seq() {
        return seq;
    }

    /** The target keys it was posted to. */
    public List<String> keys() {
        return keys;
    }

    public Instant date() {
        return date;
    }

    public String payloadJson() {
        String frame = version.frame();
        return frame.substring(PAYLOAD_OFFSET, frame.length() - 1);
    }

    /** The text frame sent to sockets. */
    public String frame() {
        return version.frame();
    }

    /** Bytes of the value's JSON text: what counts against WS_MAX_QUEUED_BYTES, once per key. */
    public int size() {
        return version.size();
    }

    public long expiresAtMillis() {
        return version.expiresAtMillis();
    }

    /** The expire duration as posted, or the default's text. */
    public String expireText() {
        return version.expireText();
    }

    /** When the current value was accepted, for the delivery latency histogram. */
    public long acceptedNanos() {
        return version.acceptedNanos();
    }

    /** Left every queue (acknowledged, expired, deleted): a backlog still holding it skips it. */
    public boolean isGone() {
        return gone;
    }

    public void markGone() {
        gone = true;
    }

    public boolean isExpired(long nowMillis) {
        return nowMillis >= expiresAtMillis();
    }
}
