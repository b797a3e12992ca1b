package org.goctopus.limit;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.goctopus.api.ErrorBody;
import org.goctopus.api.OperationsResource;
import org.goctopus.config.Services;
import org.goctopus.ws.UpgradeRequests;

/**
 * Applies the per-address rate limit to API requests, before their credentials
 * are checked. Upgrades take the same bucket in the upgrade filter, after their
 * Origin check; probes of the operations endpoints are never limited.
 */
public final class RateLimitFilter extends HttpFilter {

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (UpgradeRequests.isUpgrade(request) || OperationsResource.isProbe(request)) {
            chain.doFilter(request, response);
            return;
        }
        Services services = Services.of(getServletContext());
        RateLimiter.Verdict verdict = services.rateLimiter()
                .acquire(ClientAddress.of(request, services.settings().trustProxyHeaders()));
        if (verdict.allowed()) {
            chain.doFilter(request, response);
        } else {
            services.metrics().rateLimited();
            tooManyRequests(response, verdict);
        }
    }

    /** 429 with Retry-After and a JSON error. */
    public static void tooManyRequests(HttpServletResponse response, RateLimiter.Verdict verdict) throws IOException {
        response.setHeader("Retry-After", Long.toString(verdict.retryAfterSeconds()));
        ErrorBody.send(response, 429, "rate limited: retry after " + verdict.retryAfterSeconds() + " s");
    }
}
