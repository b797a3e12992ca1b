package org.goctopus.config;

/**
 * Every setting of the service: its one name, its default as written in the
 * README, what it means, and an example value. {@link Settings} parses them; the README's table is
 * checked against this list by a test, so the two cannot drift.
 */
public enum Setting {
    WS_HOST("0.0.0.0", "listen address of the embedded launcher (a container ignores it)",
            "127.0.0.1"),
    WS_PORT("7890", "listen port of the embedded launcher (a container ignores it)",
            "8080"),
    WS_TLS_CERT("", "PEM certificate (chain) of the embedded launcher: https and wss on WS_PORT (a container ignores it)",
            "/etc/goctopus/cert.pem"),
    WS_TLS_KEY("", "PEM private key (unencrypted) of WS_TLS_CERT",
            "/etc/goctopus/key.pem"),
    WS_WORKERS("2 x cores, at least 8", "threads for websocket work that may block: pings and closes (expiry has its own sweeper thread)",
            "16"),
    WS_MSG_EXPIRE("30m", "default lifetime of a queued message",
            "2h"),
    WS_LOGIN("", "Basic-auth user of the backend API",
            "backend"),
    WS_PASSWORD("", "Basic-auth password of the backend API",
            "change-me"),
    WS_INSECURE_NO_AUTH("false", "development only: backend API without credentials",
            "true"),
    WS_AUTH_URL("", "where upgrade requests are forwarded to be authorized (dummy: the keys, comma separated)",
            "https://app.example.com/api/ws-auth"),
    WS_AUTHORIZER("proxy", "proxy (calls WS_AUTH_URL) or dummy (development only)",
            "dummy"),
    WS_AUTH_KEYS("/user/email,/user/organization_name", "JSON Pointers into the auth response naming the keys",
            "/user/id,/user/teams"),
    WS_AUTH_TIMEOUT("10s", "bound on one auth call",
            "3s"),
    WS_AUTH_CACHE_TTL("0", "cache auth answers per Cookie+Authorization (0: off)",
            "30s"),
    WS_AUTH_MAX_INFLIGHT("64", "most auth calls under way at once; past it an upgrade gets 503",
            "256"),
    WS_TRUST_PROXY_HEADERS("false", "rate limits take the client address from X-Forwarded-For (its last element)",
            "true"),
    WS_ALLOWED_ORIGINS("", "comma-separated Origins allowed to open a websocket (empty: any); an upgrade without Origin (not a browser) passes",
            "https://app.example.com"),
    WS_PING_INTERVAL("30s", "how often the server pings each websocket",
            "20s"),
    WS_READ_TIMEOUT("70s", "a websocket silent this long is closed",
            "60s"),
    WS_WRITE_TIMEOUT("10s", "a websocket whose write stalls this long is closed with 1013",
            "5s"),
    WS_MAX_MESSAGE_SIZE("1048576", "largest POST body and largest inbound frame, bytes",
            "65536"),
    WS_MAX_PENDING("10000", "most messages queued per key (oldest dropped past it); also a socket's live buffer",
            "1000"),
    WS_MAX_QUEUED_BYTES("268435456", "total bytes of all queued values; past it a publish answers 503",
            "1073741824"),
    WS_RATE_LIMIT("0", "per-client-IP requests/s (0: off)",
            "20"),
    WS_RATE_BURST("0", "per-client-IP bucket depth (0: one second's worth)",
            "50"),
    WS_STORAGE("memory", "memory or redis",
            "memory"),
    WS_REDIS_URL("redis://localhost:6379/0", "Redis for WS_STORAGE=redis: redis:// or rediss:// (TLS), optional user:password@ and /database; Sentinel: redis-sentinel://host:26379,host2:26379/0#master",
            "redis://redis.internal:6379/2"),
    WS_REDIS_PREFIX("goctopus:", "prefix of every Redis key and channel the service uses (a Redis may be shared)",
            "push:"),
    WS_REDIS_MIN_REPLICAS("0", "replicas that must have a message (Redis WAIT) before its 202",
            "1"),
    WS_HISTORY_SIZE("0", "recent messages kept per key for the history API (0: off)",
            "100"),
    WS_HISTORY_TTL("1h", "how long history entries are kept",
            "24h"),
    WS_WRITES("auto", "batched: a socket's queued frames go out together on a virtual thread (one by one where the container does not batch: Tyrus, Payara); per-frame: one async send each; auto: batched on Java 21+",
            "per-frame"),
    WS_COMPRESS("false", "offer permessage-deflate (off: refused even when a client asks)",
            "true"),
    WS_CONSOLE("false", "serve the console page at /console/ (on with --dev)",
            "true"),
    WS_VERBOSE("false", "debug logging",
            "true"),
    WS_LOG_FORMAT("text", "text or json",
            "json");

    private final String defaultValue;
    private final String meaning;
    private final String example;

    Setting(String defaultValue, String meaning, String example) {
        this.defaultValue = defaultValue;
        this.meaning = meaning;
        this.example = example;
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String meaning() {
        return meaning;
    }

    /** A value as an operator might set it, for the README. */
    public String example() {
        return example;
    }

    /** Whether its value may appear in logs and error messages. */
    public boolean isSecret() {
        return this == WS_PASSWORD;
    }

    /** The value as logs and error messages may show it: never a password, not even one inside a URL. */
    public String shown(String value) {
        if (isSecret()) {
            return "(hidden)";
        }
        return this == WS_REDIS_URL ? RedisUrl.redacted(value) : "\"" + value + "\"";
    }
}
