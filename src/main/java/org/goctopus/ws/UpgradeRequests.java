package org.goctopus.ws;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Which requests are websocket upgrades: only a {@code GET} carrying
 * {@code Upgrade: websocket} to {@code /} or {@code /ws}. Anything else that carries
 * the header is an ordinary API request and needs Basic auth.
 */
public final class UpgradeRequests {

    private UpgradeRequests() {
    }

    public static boolean isUpgrade(HttpServletRequest request) {
        if (!"GET".equals(request.getMethod())) {
            return false;
        }
        String upgrade = request.getHeader("Upgrade");
        if (upgrade == null || !upgrade.toLowerCase(java.util.Locale.ROOT).contains("websocket")) {
            return false;
        }
        String path = pathInContext(request);
        return path.equals(PushEndpoint.PATH) || path.equals(PushEndpointAlias.PATH);
    }

    /** The request path below the context path, "/" for the context root. */
    public static String pathInContext(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return path.isEmpty() ? "/" : path;
    }
}
