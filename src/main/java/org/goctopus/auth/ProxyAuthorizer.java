package org.goctopus.auth;

import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.glassfish.jersey.CommonProperties;
import org.glassfish.jersey.client.ClientConfig;
import org.glassfish.jersey.client.HttpUrlConnectorProvider;
import org.goctopus.json.BoundedBody;
import org.goctopus.json.JsonText;

/**
 * Authorizes an upgrade by asking the customer's backend (WS_AUTH_URL) with a GET
 * that carries the upgrade's own headers, as Goctopus does. The backend's answer
 * maps to a status: 2xx with keys allows; 401 and 403 refuse as such; 408, 429,
 * 5xx, no answer, a timeout or a body that is not JSON give 503 (the backend is in
 * trouble, the user is not logged out); any other status gives 401.
 */
public final class ProxyAuthorizer implements Authorizer {

    /** Hop-by-hop and websocket headers, and the ones this service sets itself. */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "proxy-connection", "te", "trailer", "trailers", "transfer-encoding",
            "upgrade", "host", "content-length", "accept-encoding", "x-original-uri", "x-forwarded-for");
    /**
     * Headers the JDK's HTTP client refuses (with a warning per call) unless the JVM runs with
     * {@code -Dsun.net.http.allowRestrictedHeaders=true} (the embedded launcher sets it).
     */
    private static final Set<String> JDK_RESTRICTED = Set.of("origin", "via",
            "access-control-request-headers", "access-control-request-method", "content-transfer-encoding");

    private final CallDeadlines deadlines;
    private final Client client;
    private final WebTarget target;
    private final KeyExtractor keys;
    private final Semaphore inflight;
    /** The largest auth answer read (SPEC §2): a larger one is refused with 503. */
    static final int MAX_ANSWER_BYTES = 64 * 1024;
    private final boolean restrictedAllowed = Boolean.getBoolean("sun.net.http.allowRestrictedHeaders");

    public ProxyAuthorizer(URI url, Duration timeout, List<String> keyPointers, int maxInflight) {
        this.deadlines = new CallDeadlines(timeout);
        // The call runs on the upgrade's own thread: an async call's hand-off to Jersey's pool and
        // back made upgrades about 15% slower. Each connection it opens is handed to the call's
        // deadline, which cuts it when the call as a whole outlasts the timeout.
        ClientConfig config = new ClientConfig().connectorProvider(
                        new HttpUrlConnectorProvider().connectionFactory(deadlines))
                // No DataSource bodies: spares the warning that jakarta.activation is absent.
                .property(CommonProperties.PROVIDER_DEFAULT_DISABLE, "DATASOURCE");
        this.client = ClientBuilder.newBuilder()
                .withConfig(config)
                .connectTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .build();
        this.target = client.target(url);
        this.keys = new KeyExtractor(keyPointers);
        this.inflight = new Semaphore(maxInflight);
    }

    @Override
    public Decision authorize(UpgradeRequest request) {
        // Past the cap, answer at once rather than hold a server thread waiting for a slot.
        if (!inflight.tryAcquire()) {
            return Decision.refused(503, "authorization service busy, retry later", "WS_AUTH_MAX_INFLIGHT reached");
        }
        try {
            return call(request);
        } finally {
            inflight.release();
        }
    }

    private Decision call(UpgradeRequest request) {
        Invocation.Builder builder = target.request();
        Set<String> skip = skippedHeaders(request.headers());
        request.headers().forEach((name, values) -> {
            if (!skip.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> builder.header(name, v));
            }
        });
        builder.header("X-Original-URI", request.originalUri());
        builder.header("X-Forwarded-For", request.forwardedFor());
        CallDeadlines.Deadline deadline = deadlines.start();
        try (Response response = builder.get()) {
            int status = response.getStatus();
            if (status / 100 == 2) {
                String body = bounded(response.readEntity(InputStream.class), response.getLength());
                return body == null ? Decision.refused(503, "authorization service unavailable",
                        "auth backend answered more than 64 KB") : allowed(body);
            }
            String cause = "auth backend answered " + status;
            if (status == 401 || status == 403) {
                return Decision.refused(status, status == 401 ? "unauthorized" : "forbidden", cause);
            }
            if (status / 100 == 4 && status != 408 && status != 429) {
                return Decision.refused(401, "unauthorized", cause);
            }
            return Decision.refused(503, "authorization service unavailable", cause);
        } catch (ProcessingException e) {
            if (deadline.expired() || e.getCause() instanceof SocketTimeoutException) {
                return Decision.refused(503, "authorization service unavailable",
                        "auth backend did not answer within WS_AUTH_TIMEOUT");
            }
            return Decision.refused(503, "authorization service unavailable",
                    "auth backend unreachable: " + (e.getCause() == null ? e : e.getCause()));
        } finally {
            deadline.end();
        }
    }

    /** The answer as text, or null past {@link #MAX_ANSWER_BYTES} (SPEC: a 503). */
    private static String bounded(InputStream in, int declared) {
        try (in) {
            byte[] read = BoundedBody.read(in, declared, MAX_ANSWER_BYTES);
            return read == null ? null : new String(read, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ProcessingException(e);
        }
    }

    private Decision allowed(String body) {
        JsonValue json;
        try {
            json = JsonText.parse(body);
        } catch (JsonText.InvalidJsonException e) {
            return Decision.refused(503, "authorization service unavailable", "auth backend answered non-JSON");
        }
        if (!(json instanceof JsonStructure structure)) {
            return Decision.refused(401, "unauthorized", "auth response is not a JSON object or array");
        }
        List<String> found = keys.keys(structure);
        if (found.isEmpty()) {
            return Decision.refused(401, "unauthorized", "auth response has no key at WS_AUTH_KEYS");
        }
        return new Decision.Allowed(found);
    }

    private Set<String> skippedHeaders(Map<String, List<String>> headers) {
        Set<String> skip = new HashSet<>(NOT_FORWARDED);
        if (!restrictedAllowed) {
            skip.addAll(JDK_RESTRICTED);
        }
        headers.forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith("sec-websocket-")) {
                skip.add(lower);
            }
            if (lower.equals("connection")) {
                // Headers the client named as hop-by-hop are not forwarded either.
                for (String v : values) {
                    for (String token : v.split(",")) {
                        skip.add(token.trim().toLowerCase(Locale.ROOT));
                    }
                }
            }
        });
        return skip;
    }

    @Override
    public void close() {
        client.close();
        deadlines.close();
    }
}
