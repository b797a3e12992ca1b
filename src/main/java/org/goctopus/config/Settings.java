package org.goctopus.config;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The parsed, validated configuration. Each {@link Setting} is read, highest
 * first, from a Java system property, the environment, a servlet context
 * parameter, then its default. Nothing starts half-configured: {@link #load}
 * either returns a complete instance or throws with every problem found.
 */
public record Settings(
        String host,
        int port,
        String tlsCert,
        String tlsKey,
        int workers,
        Duration msgExpire,
        String msgExpireText,
        String login,
        String password,
        boolean insecureNoAuth,
        String authUrl,
        String authorizer,
        List<String> authKeys,
        Duration authTimeout,
        Duration authCacheTtl,
        int authMaxInflight,
        boolean trustProxyHeaders,
        Set<String> allowedOrigins,
        Duration pingInterval,
        Duration readTimeout,
        Duration writeTimeout,
        int maxMessageSize,
        int maxPending,
        long maxQueuedBytes,
        double rateLimit,
        int rateBurst,
        String storage,
        RedisUrl redisUrl,
        String redisPrefix,
        int redisMinReplicas,
        int historySize,
        Duration historyTtl,
        String writes,
        boolean compress,
        boolean console,
        boolean verbose,
        String logFormat) {

    public static final String STORAGE_MEMORY = "memory";
    public static final String STORAGE_REDIS = "redis";
    public static final String AUTHORIZER_PROXY = "proxy";
    public static final String AUTHORIZER_DUMMY = "dummy";
    public static final String WRITES_AUTO = "auto";
    public static final String WRITES_BATCHED = "batched";
    public static final String WRITES_PER_FRAME = "per-frame";

    /** Reads every setting from system properties, the environment, then {@code contextParameters}. */
    public static Settings load(Lookup contextParameters) {
        return parse(layered(System::getProperty, System::getenv, contextParameters));
    }

    /**
     * The settings of a process before it deploys the application, which has no context
     * parameters yet: the launcher checks them so that a bad one stops it before it binds.
     */
    public static Settings loadFromProcess() {
        return load(name -> null);
    }

    /**
     * The first source, in order, that sets a name. An empty value counts as unset, as
     * in Goctopus: {@code WS_X=} in the environment does not hide a context parameter.
     */
    public static Lookup layered(Lookup... sources) {
        return name -> {
            for (Lookup source : sources) {
                String value = source.get(name);
                if (value != null && !value.isBlank()) {
                    return value;
                }
            }
            return null;
        };
    }

    /** Reads every setting from {@code source} alone (null: not set, so the default applies). */
    public static Settings parse(Lookup source) {
        Parser p = new Parser(source);
        Settings settings = new Settings(
                p.text(Setting.WS_HOST),
                p.integer(Setting.WS_PORT, 1, 65535),
                p.text(Setting.WS_TLS_CERT),
                p.text(Setting.WS_TLS_KEY),
                p.workers(),
                p.duration(Setting.WS_MSG_EXPIRE, true),
                p.text(Setting.WS_MSG_EXPIRE),
                p.text(Setting.WS_LOGIN),
                p.text(Setting.WS_PASSWORD),
                p.bool(Setting.WS_INSECURE_NO_AUTH),
                p.text(Setting.WS_AUTH_URL),
                p.oneOf(Setting.WS_AUTHORIZER, AUTHORIZER_PROXY, AUTHORIZER_DUMMY),
                p.pointers(Setting.WS_AUTH_KEYS),
                p.duration(Setting.WS_AUTH_TIMEOUT, true),
                p.duration(Setting.WS_AUTH_CACHE_TTL, false),
                p.integer(Setting.WS_AUTH_MAX_INFLIGHT, 1, Integer.MAX_VALUE),
                p.bool(Setting.WS_TRUST_PROXY_HEADERS),
                Set.copyOf(p.list(Setting.WS_ALLOWED_ORIGINS)),
                p.duration(Setting.WS_PING_INTERVAL, true),
                p.duration(Setting.WS_READ_TIMEOUT, true),
                p.duration(Setting.WS_WRITE_TIMEOUT, true),
                p.integer(Setting.WS_MAX_MESSAGE_SIZE, 64, Integer.MAX_VALUE - 8),
                p.integer(Setting.WS_MAX_PENDING, 1, Integer.MAX_VALUE),
                p.longInteger(Setting.WS_MAX_QUEUED_BYTES, 1, Long.MAX_VALUE),
                p.decimal(Setting.WS_RATE_LIMIT),
                p.integer(Setting.WS_RATE_BURST, 0, Integer.MAX_VALUE),
                p.oneOf(Setting.WS_STORAGE, STORAGE_MEMORY, STORAGE_REDIS),
                p.redisUrl(),
                p.redisPrefix(),
                p.integer(Setting.WS_REDIS_MIN_REPLICAS, 0, 100),
                p.integer(Setting.WS_HISTORY_SIZE, 0, Integer.MAX_VALUE),
                p.duration(Setting.WS_HISTORY_TTL, true),
                p.oneOf(Setting.WS_WRITES, WRITES_AUTO, WRITES_BATCHED, WRITES_PER_FRAME),
                p.bool(Setting.WS_COMPRESS),
                p.bool(Setting.WS_CONSOLE),
                p.bool(Setting.WS_VERBOSE),
                p.oneOf(Setting.WS_LOG_FORMAT, "text", "json"));
        p.crossCheck(settings);
        p.throwIfAny();
        return settings;
    }

    /** Whether the backend API is open without credentials (development only). */
    public boolean apiCredentialsConfigured() {
        return !login.isEmpty() && !password.isEmpty();
    }

    @Override
    public String toString() {
        // The record's generated toString would print the password.
        return "Settings[authorizer=" + authorizer + ", authUrl=" + authUrl + ", storage=" + storage
                + ", login=" + login + ", password=" + (password.isEmpty() ? "unset" : "***") + "]";
    }

    /** Where raw values come from: the raw text of a setting, or null when unset. */
    @FunctionalInterface
    public interface Lookup {
        String get(String name);
    }

    /** Collects every problem instead of stopping at the first, so one start shows them all. */
    private static final class Parser {
        private final Lookup source;
        private final Map<Setting, String> raw = new EnumMap<>(Setting.class);
        private final List<String> problems = new ArrayList<>();

        Parser(Lookup source) {
            this.source = source;
        }

        String text(Setting s) {
            return raw.computeIfAbsent(s, k -> {
                String v = source.get(k.name());
                return v == null ? k.defaultValue() : v.trim();
            });
        }

        private void problem(Setting s, String why) {
            problems.add(s.name() + "=" + s.shown(text(s)) + ": " + why);
        }

        int integer(Setting s, int min, int max) {
            long v = longInteger(s, min, max);
            return (int) v;
        }

        long longInteger(Setting s, long min, long max) {
            try {
                long v = Long.parseLong(text(s));
                if (v < min || v > max) {
                    problem(s, "must be between " + min + " and " + max);
                    return min;
                }
                return v;
            } catch (NumberFormatException e) {
                problem(s, "not a whole number");
                return min;
            }
        }

        double decimal(Setting s) {
            try {
                double v = Double.parseDouble(text(s));
                if (!(v >= 0) || Double.isInfinite(v)) {
                    problem(s, "must be a number of 0 or more");
                    return 0;
                }
                return v;
            } catch (NumberFormatException e) {
                problem(s, "not a number");
                return 0;
            }
        }

        boolean bool(Setting s) {
            switch (text(s).toLowerCase(Locale.ROOT)) {
                case "true", "1", "yes", "on":
                    return true;
                case "false", "0", "no", "off", "":
                    return false;
                default:
                    problem(s, "not a boolean (true or false)");
                    return false;
            }
        }

        Duration duration(Setting s, boolean positive) {
            try {
                Duration d = GoDuration.parse(text(s));
                if (positive && d.isZero()) {
                    problem(s, "must be longer than 0");
                }
                return d;
            } catch (IllegalArgumentException e) {
                problem(s, "not a duration (Go syntax: 300ms, 10s, 1.5h, 2h45m)");
                return Duration.ofSeconds(1);
            }
        }

        String oneOf(Setting s, String... allowed) {
            String v = text(s).toLowerCase(Locale.ROOT);
            if (!Arrays.asList(allowed).contains(v)) {
                problem(s, "must be one of " + String.join(", ", allowed));
                return allowed[0];
            }
            return v;
        }

        List<String> list(Setting s) {
            return Arrays.stream(text(s).split(",")).map(String::trim).filter(v -> !v.isEmpty())
                    .collect(Collectors.toUnmodifiableList());
        }

        List<String> pointers(Setting s) {
            List<String> pointers = list(s);
            if (pointers.isEmpty()) {
                problem(s, "needs at least one JSON Pointer");
            }
            for (String pointer : pointers) {
                if (!pointer.startsWith("/")) {
                    problem(s, "\"" + pointer + "\" is not a JSON Pointer (starts with /)");
                }
            }
            return pointers;
        }

        URI uri(Setting s, String... schemes) {
            try {
                URI uri = new URI(text(s));
                if (uri.getHost() == null || !Arrays.asList(schemes).contains(uri.getScheme())) {
                    problem(s, "must be a URL with scheme " + String.join(" or ", schemes) + " and a host");
                }
                return uri;
            } catch (java.net.URISyntaxException e) {
                problem(s, "not a URL");
                return null;
            }
        }

        RedisUrl redisUrl() {
            try {
                return RedisUrl.parse(text(Setting.WS_REDIS_URL));
            } catch (IllegalArgumentException e) {
                problem(Setting.WS_REDIS_URL, e.getMessage());
                return null;
            }
        }

        String redisPrefix() {
            String prefix = text(Setting.WS_REDIS_PREFIX);
            if (prefix.contains("{") || prefix.contains("}")) {
                // Braces would make the prefix the keys' hash tag, not each key's own.
                problem(Setting.WS_REDIS_PREFIX, "may not contain { or }");
            }
            return prefix;
        }

        int workers() {
            String v = source.get(Setting.WS_WORKERS.name());
            if (v == null) {
                return Math.max(8, 2 * Runtime.getRuntime().availableProcessors());
            }
            return integer(Setting.WS_WORKERS, 1, 10_000);
        }

        void crossCheck(Settings settings) {
            if (settings.authorizer().equals(AUTHORIZER_PROXY)) {
                if (settings.authUrl().isEmpty()) {
                    problems.add("WS_AUTH_URL is not set: WS_AUTHORIZER=proxy needs the URL that authorizes"
                            + " upgrades (or WS_AUTHORIZER=dummy for development)");
                } else {
                    uri(Setting.WS_AUTH_URL, "http", "https");
                }
            } else if (list(Setting.WS_AUTH_URL).isEmpty()) {
                problems.add("WS_AUTH_URL is empty: WS_AUTHORIZER=dummy takes the keys every connection"
                        + " gets from it, comma separated");
            }
            if (settings.readTimeout().compareTo(settings.pingInterval()) <= 0) {
                problems.add("WS_READ_TIMEOUT=\"" + text(Setting.WS_READ_TIMEOUT)
                        + "\": must be longer than WS_PING_INTERVAL, or every client would be timed out");
            }
        }

        void throwIfAny() {
            if (!problems.isEmpty()) {
                throw new InvalidSettingsException(problems);
            }
        }
    }
}
