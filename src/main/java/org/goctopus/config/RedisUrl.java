package org.goctopus.config;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * WS_REDIS_URL, checked at start-up so that a typo stops the service with one line
 * instead of a Redis client's stack trace at the first publish. The forms are the
 * Redis client's (Lettuce's), which receives the text as it is:
 * <ul>
 * <li>{@code redis://[[user:]password@]host[:port][/database]}, {@code rediss://...} for TLS;</li>
 * <li>{@code redis-sentinel://[[user:]password@]host[:port][,host[:port]...][/database]#master}
 * ({@code rediss-sentinel://} for TLS): the sentinels to ask, and the master's name
 * (also accepted as {@code ?sentinelMasterId=master}).</li>
 * </ul>
 */
public record RedisUrl(String text, boolean sentinel) {

    private static final Pattern FORM = Pattern.compile(
            "(rediss?|rediss?-sentinel)://(?:([^@/]*)@)?([^/?#@]+)(?:/([^?#]*))?(?:\\?([^#]*))?(?:#(.*))?");
    private static final Pattern HOST = Pattern.compile("(\\[[0-9a-fA-F:.]+]|[^:\\[\\]]+)(?::(\\d{1,5}))?");

    /** @throws IllegalArgumentException saying what is wrong, without repeating a password */
    public static RedisUrl parse(String text) {
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a Redis URL (redis://host:6379/0, rediss://..., or"
                    + " redis-sentinel://host:26379,host:26380/0#master)");
        }
        boolean sentinel = m.group(1).endsWith("-sentinel");
        List<String> hosts = List.of(m.group(3).split(",", -1));
        if (!sentinel && hosts.size() > 1) {
            throw new IllegalArgumentException("several hosts are only for redis-sentinel://");
        }
        for (String host : hosts) {
            Matcher h = HOST.matcher(host);
            if (!h.matches() || h.group(2) != null && (Integer.parseInt(h.group(2)) < 1
                    || Integer.parseInt(h.group(2)) > 65535)) {
                throw new IllegalArgumentException("\"" + host + "\" is not host or host:port");
            }
        }
        String database = m.group(4);
        if (database != null && !database.isEmpty() && !database.matches("\\d{1,5}")) {
            throw new IllegalArgumentException("the database after / must be a number");
        }
        if (sentinel) {
            boolean named = m.group(6) != null && !m.group(6).isEmpty()
                    || m.group(5) != null && m.group(5).matches("(?:.*&)?sentinelMasterId=[^&]+.*");
            if (!named) {
                throw new IllegalArgumentException("a Sentinel URL names its master: ...#mymaster");
            }
        }
        return new RedisUrl(text, sentinel);
    }

    /** The URL with any password replaced, for logs and error messages. */
    public static String redacted(String text) {
        return "\"" + text.replaceFirst("^([a-z-]+://)[^@/]*@", "$1***@") + "\"";
    }

    @Override
    public String toString() {
        return redacted(text);
    }
}
