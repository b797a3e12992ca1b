package org.goctopus.browser;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.goctopus.api.ErrorBody;
import org.goctopus.auth.RecentRefusals;
import org.goctopus.config.Services;
import org.goctopus.config.Settings;
import org.goctopus.json.JsonText;
import org.goctopus.limit.ClientAddress;
import org.goctopus.limit.RateLimitFilter;
import org.goctopus.limit.RateLimiter;
import org.goctopus.ws.UpgradeFilter;

/**
 * {@code GET /why}: why this browser's last upgrade was refused. A browser's WebSocket
 * reports every refusal as 1006, so without this a logged-out user, a foreign Origin and
 * an auth outage look the same to the client library. The answer comes from
 * {@link RecentRefusals}: a lookup, never a second auth call, so an auth outage is not
 * doubled; and a limit of its own per address ({@value #PER_SECOND}/s, {@value #BURST}
 * deep) bounds what a loop of broken clients costs.
 *
 * <p>Cross-origin: an allowed Origin reads its own answer with credentials (the cookies
 * name the client); a foreign Origin reads only what it may know, that it is not allowed,
 * computed from the Origin alone.
 */
public final class WhyServlet extends HttpServlet {

    static final String PATH = "/why";
    private static final int PER_SECOND = 2;
    private static final int BURST = 10;

    private final RateLimiter limiter = new RateLimiter(PER_SECOND, BURST);

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
            throws IOException, ServletException {
        if (!"GET".equals(request.getMethod())) {
            ErrorBody.send(response, 405, "method not allowed");
            return;
        }
        Services services = Services.of(getServletContext());
        Settings settings = services.settings();
        response.setHeader("Cache-Control", "no-store");
        String origin = request.getHeader("Origin");
        if (origin != null) {
            response.setHeader("Access-Control-Allow-Origin", origin);
            response.setHeader("Access-Control-Allow-Credentials", "true");
            response.setHeader("Vary", "Origin");
        }
        String address = ClientAddress.of(request, settings.trustProxyHeaders());
        RateLimiter.Verdict verdict = limiter.acquire(address);
        if (!verdict.allowed()) {
            RateLimitFilter.tooManyRequests(response, verdict);
            return;
        }
        if (origin != null && !settings.allowedOrigins().isEmpty() && !settings.allowedOrigins().contains(origin)) {
            ErrorBody.sendJson(response, 200, refused(403, "origin not allowed", 0));
            return;
        }
        ErrorBody.sendJson(response, 200, services.refusals()
                .last(address, UpgradeFilter.joined(request, "Cookie"), UpgradeFilter.joined(request, "Authorization"))
                .map(r -> refused(r.status(), r.reason(), r.retryAfterSeconds()))
                .orElse("{\"refused\":false}"));
    }

    private static String refused(int status, String reason, long retryAfterSeconds) {
        return "{\"refused\":true,\"status\":" + status + ",\"error\":" + JsonText.quote(reason)
                + ",\"retry_after\":" + retryAfterSeconds + "}";
    }
}
