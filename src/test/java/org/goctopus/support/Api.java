package org.goctopus.support;

import jakarta.json.Json;
import jakarta.json.JsonStructure;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The backend API as a backend sees it: HTTP with Basic auth, over a real socket. */
public final class Api {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String base;
    private final String authorization;

    /** @param base the application's root, e.g. {@code http://127.0.0.1:8080} or {@code http://127.0.0.1:8080/push} */
    public Api(URI base, String login, String password) {
        this.base = base.toString();
        this.authorization = login == null ? null : "Basic " + Base64.getEncoder()
                .encodeToString((login + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** The Authorization header's value these requests carry (null: none), for a raw client. */
    public String authorization() {
        return authorization;
    }

    /** The same API with other credentials (null: none). */
    public Api as(String login, String password) {
        return new Api(URI.create(base), login, password);
    }

    public HttpResponse<String> post(String body) {
        return send("POST", "/", HttpRequest.BodyPublishers.ofString(body), "application/json");
    }

    public HttpResponse<String> get(String pathAndQuery) {
        return send("GET", pathAndQuery, HttpRequest.BodyPublishers.noBody(), null);
    }

    public HttpResponse<String> delete(String pathAndQuery) {
        return send("DELETE", pathAndQuery, HttpRequest.BodyPublishers.noBody(), null);
    }

    /** Publishes and expects 202; returns the message id. */
    public String publish(String body) {
        HttpResponse<String> r = post(body);
        if (r.statusCode() != 202) {
            throw new AssertionError("publish answered " + r.statusCode() + " " + r.body());
        }
        return json(r.body()).asJsonObject().getString("id");
    }

    /** A sample of the Prometheus metrics (the first, for a labelled one); fails when it is missing. */
    public double metric(String name) {
        HttpResponse<String> r = as(null, null).get("/metrics");
        if (r.statusCode() != 200) {
            throw new AssertionError("/metrics answered " + r.statusCode());
        }
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{[^}]*\\})? ([0-9.eE+-]+)$").matcher(r.body());
        if (!m.find()) {
            throw new AssertionError(name + " not in metrics:\n" + r.body());
        }
        return Double.parseDouble(m.group(1));
    }

    public HttpResponse<String> send(String method, String pathAndQuery, HttpRequest.BodyPublisher body,
                                     String contentType) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .timeout(Duration.ofSeconds(20)).method(method, body);
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        try {
            return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static JsonStructure json(String text) {
        return Json.createReader(new StringReader(text)).read();
    }
}
