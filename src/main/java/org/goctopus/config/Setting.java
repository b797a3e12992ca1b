package org.goctopus.config;

/**
 * Every setting of the service: its one name, its default as written in the
 * README, and what it means. {@link Settings} parses them; the README's table is
 * checked against this list by a test, so the two cannot drift.
 */
public enum Setting {
    WS_HOST("0.0.0.0", "listen address of the embedded launcher (a container ignores it)"),
    WS_PORT("7890", "listen port of the embedded launcher (a container ignores it)"),
    WS_WORKERS("2 x cores, at least 8", "threads for background work: pings, closes, expiry sweeps"),
    WS_MSG_EXPIRE("30m", "default lifetime of a queued message"),
    WS_LOGIN("", "Basic-auth user of the backend API"),
    WS_PASSWORD("", "Basic-auth password of the backend API"),
    WS_INSECURE_NO_AUTH("false", "development only: backend API without credentials"),
    WS_AUTH_URL("", "where upgrade requests are forwarded to be authorized (dummy: the keys, comma separated)"),
    WS_AUTHORIZER("proxy", "proxy (calls WS_AUTH_URL) or dummy (development only)"),
    WS_AUTH_KEYS("/user/email,/user/organization_name", "JSON Pointers into the auth response naming the keys"),
    WS_AUTH_TIMEOUT("10s", "bound on one auth call"),
    WS_AUTH_CACHE_TTL("0", "cache auth answers per Cookie+Authorization (0: off)"),
    WS_AUTH_MAX_INFLIGHT("64", "most auth calls under way at once; past it an upgrade gets 503"),
    WS_TRUST_PROXY_HEADERS("false", "take the client address from X-Forwarded-For"),
    WS_ALLOWED_ORIGINS("", "comma-separated Origins allowed to open a websocket (empty: any)"),
    WS_PING_INTERVAL("30s", "how often the server pings each websocket"),
    WS_READ_TIMEOUT("70s", "a websocket silent this long is closed"),
    WS_WRITE_TIMEOUT("10s", "a websocket whose write stalls this long is closed with 1013"),
    WS_MAX_MESSAGE_SIZE("1048576", "largest POST body and largest inbound frame, bytes"),
    WS_MAX_PENDING("10000", "most messages queued per key (oldest dropped past it); also a socket's live buffer"),
    WS_MAX_QUEUED_BYTES("268435456", "total bytes of all queued values; past it a publish answers 503"),
    WS_RATE_LIMIT("0", "per-client-IP requests/s (0: off)"),
    WS_RATE_BURST("0", "per-client-IP burst"),
    WS_STORAGE("memory", "memory or redis"),
    WS_REDIS_URL("redis://localhost:6379/0", "Redis for WS_STORAGE=redis"),
    WS_HISTORY_SIZE("0", "recent messages kept per key for the history API (0: off)"),
    WS_HISTORY_TTL("1h", "how long history entries are kept"),
    WS_COMPRESS("false", "offer permessage-deflate"),
    WS_VERBOSE("false", "debug logging"),
    WS_LOG_FORMAT("text", "text or json");

    private final String defaultValue;
    private final String meaning;

    Setting(String defaultValue, String meaning) {
        this.defaultValue = defaultValue;
        this.meaning = meaning;
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String meaning() {
        return meaning;
    }

    /** Whether its value may appear in logs and error messages. */
    public boolean isSecret() {
        return this == WS_PASSWORD;
    }
}
