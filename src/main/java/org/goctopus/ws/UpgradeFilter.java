package org.goctopus.ws;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;
import org.goctopus.api.ErrorBody;
import org.goctopus.auth.Decision;
import org.goctopus.auth.UpgradeRequest;
import org.goctopus.config.Services;
import org.goctopus.config.Settings;
import org.goctopus.limit.ClientAddress;
import org.goctopus.log.Log;
import org.goctopus.limit.RateLimitFilter;
import org.goctopus.limit.RateLimiter;

/**
 * Authorizes websocket upgrades before the container's websocket filter sees
 * them, because only here can a refusal carry a real status (403 for a foreign
 * Origin, then 429 past the rate limit, then 401, 403 or 503 from the
 * authorizer) and a JSON body, with no 101.
 * An allowed upgrade continues with an {@link UpgradeTicket} as its Principal. Each
 * refusal is remembered for a minute per client ({@link org.goctopus.auth.RecentRefusals}):
 * a browser sees only 1006, and asks the why endpoint.
 */
public final class UpgradeFilter extends HttpFilter {

    private static final Logger LOG = Logger.getLogger(UpgradeFilter.class.getName());

    private FrameWriter writer;

    @Override
    public void init() {
        writer = FrameWriter.of(Services.of(getServletContext()).settings().writes());
        Log.info(LOG, "websocket writes", "mode", writer.description());
    }

    @Override
    public void destroy() {
        writer.close();
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!UpgradeRequests.isUpgrade(request)) {
            chain.doFilter(request, response);
            return;
        }
        Services services = Services.of(getServletContext());
        Settings settings = services.settings();
        String origin = request.getHeader("Origin");
        String address = ClientAddress.of(request, settings.trustProxyHeaders());
        String cookie = joined(request, "Cookie");
        String authorization = joined(request, "Authorization");
        Decision decision;
        if (origin != null && !settings.allowedOrigins().isEmpty() && !settings.allowedOrigins().contains(origin)) {
            decision = Decision.refused(403, "origin not allowed", "Origin " + origin + " not in WS_ALLOWED_ORIGINS");
        } else {
            RateLimiter.Verdict verdict = services.rateLimiter().acquire(address);
            if (!verdict.allowed()) {
                services.metrics().rateLimited();
                services.refusals().refused(address, cookie, authorization, 429, "rate limited",
                        verdict.retryAfterSeconds());
                RateLimitFilter.tooManyRequests(response, verdict);
                return;
            }
            decision = services.hub().ready() ? services.authorizer().authorize(describe(request))
                    : Decision.refused(503, "storage unavailable, retry later", "the store is not ready");
        }
        if (decision instanceof Decision.Allowed allowed) {
            services.refusals().allowed(address, cookie, authorization);
            UpgradeTicket ticket = new UpgradeTicket(allowed.keys(), services.hub(), writer,
                    settings.writeTimeout().toMillis(), settings.maxMessageSize());
            chain.doFilter(new TicketedRequest(request, ticket, settings.compress()), response);
        } else if (decision instanceof Decision.Refused refused) {
            services.metrics().authFailure(refused.status());
            services.refusals().refused(address, cookie, authorization, refused.status(), refused.reason(), 0);
            Log.info(LOG, "upgrade refused", "status", refused.status(), "peer", request.getRemoteAddr(),
                    "cause", refused.cause());
            ErrorBody.send(response, refused.status(), refused.reason());
        }
    }

    /** A header's values joined by ", ", as the authorizer reads them; null when absent. */
    public static String joined(HttpServletRequest request, String name) {
        List<String> values = Collections.list(request.getHeaders(name));
        return values.isEmpty() ? null : String.join(", ", values);
    }

    private static UpgradeRequest describe(HttpServletRequest request) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : Collections.list(request.getHeaderNames())) {
            headers.put(name, Collections.list(request.getHeaders(name)));
        }
        String query = request.getQueryString();
        String uri = request.getRequestURI() + (query == null ? "" : "?" + query);
        List<String> chain = Collections.list(request.getHeaders("X-Forwarded-For"));
        chain.add(request.getRemoteAddr()); // only this last element is our word
        return new UpgradeRequest(headers, uri, String.join(", ", chain));
    }

    /**
     * The upgrade as the container's websocket filter sees it: the ticket as its
     * Principal, and only the headers the handshake reads (Tyrus refuses an
     * upgrade without Host). The container keeps the handshake's headers for the
     * socket's whole life (Tomcat's upgrade handler holds them), and a browser's
     * cookies, user agent and accept lines are 1-2 KB per socket that nothing
     * reads after authorization; Origin was checked above, and a missing Origin
     * passes the containers' default check. Unless WS_COMPRESS, the extension
     * offer is hidden too: containers negotiate permessage-deflate whenever a
     * client offers it (browsers always do), and a compression context costs
     * memory per socket; hiding the offer is the one way that works on Tomcat
     * and Tyrus alike.
     */
    static final class TicketedRequest extends HttpServletRequestWrapper {
        private static final String EXTENSIONS = "Sec-WebSocket-Extensions";
        private static final Set<String> HANDSHAKE = Set.of("host", "upgrade", "connection", "sec-websocket-key",
                "sec-websocket-version", "sec-websocket-protocol");
        private final UpgradeTicket ticket;
        private final boolean compress;

        TicketedRequest(HttpServletRequest request, UpgradeTicket ticket, boolean compress) {
            super(request);
            this.ticket = ticket;
            this.compress = compress;
        }

        @Override
        public Principal getUserPrincipal() {
            return ticket;
        }

        private boolean passed(String name) {
            return HANDSHAKE.contains(name.toLowerCase(Locale.ROOT)) || compress && EXTENSIONS.equalsIgnoreCase(name);
        }

        @Override
        public String getHeader(String name) {
            return passed(name) ? super.getHeader(name) : null;
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return passed(name) ? super.getHeaders(name) : Collections.emptyEnumeration();
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            List<String> names = Collections.list(super.getHeaderNames());
            names.removeIf(name -> !passed(name));
            return Collections.enumeration(names);
        }
    }
}
