package org.goctopus.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import org.goctopus.browser.PublicFiles;
import org.goctopus.config.Services;
import org.goctopus.config.Settings;
import org.goctopus.ws.UpgradeRequests;

/**
 * HTTP Basic auth in front of the backend API, checked before the method (a PUT
 * without credentials is 401, with them 405). Missing credentials: 401 with a
 * challenge; wrong ones: 403. Without configured credentials the API is closed
 * unless WS_INSECURE_NO_AUTH. Websocket upgrades and the operations endpoints
 * pass: the first are authorized by the upgrade filter, the second are for probes, and
 * so do the public files (SPEC §3), which hold nothing secret.
 */
public final class BasicAuthFilter extends HttpFilter {

    static final String CHALLENGE = "Basic realm=\"goctopus\"";

    /** SHA-256 of "login:password"; settings do not change while the application runs. */
    private volatile byte[] expected;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (UpgradeRequests.isUpgrade(request) || OperationsResource.isProbe(request)
                || PublicFiles.isPublic(request)) {
            chain.doFilter(request, response);
            return;
        }
        Settings settings = Services.of(getServletContext()).settings();
        if (!settings.apiCredentialsConfigured()) {
            if (settings.insecureNoAuth()) {
                chain.doFilter(request, response);
            } else {
                challenge(response, "API credentials are not configured (WS_LOGIN, WS_PASSWORD)");
            }
            return;
        }
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            challenge(response, "credentials required");
            return;
        }
        byte[] given;
        try {
            given = Base64.getDecoder().decode(header.substring(6).trim());
        } catch (IllegalArgumentException e) {
            challenge(response, "malformed Basic credentials");
            return;
        }
        if (!MessageDigest.isEqual(sha256(given), expectedDigest(settings))) {
            ErrorBody.send(response, HttpServletResponse.SC_FORBIDDEN, "wrong credentials");
            return;
        }
        chain.doFilter(request, response);
    }

    private static void challenge(HttpServletResponse response, String message) throws IOException {
        response.setHeader("WWW-Authenticate", CHALLENGE);
        ErrorBody.send(response, HttpServletResponse.SC_UNAUTHORIZED, message);
    }

    /**
     * Digests are compared rather than the credentials, so neither the content nor the
     * length of the secret leaks through timing; the expected one is computed once.
     */
    private byte[] expectedDigest(Settings settings) {
        byte[] digest = expected;
        if (digest == null) {
            digest = sha256((settings.login() + ":" + settings.password()).getBytes(StandardCharsets.UTF_8));
            expected = digest;
        }
        return digest;
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
