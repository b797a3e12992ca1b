package org.goctopus.ws;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Enumeration;

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
        if (!hasWebsocketToken(request)) {
            return false;
        }
        String path = pathInContext(request);
        return path.equals(PushEndpoint.PATH) || path.equals(PushEndpointAlias.PATH);
    }

    /**
     * Whether an Upgrade header holds the token {@code websocket}, matched as the
     * container matches it (comma-separated tokens, any case): {@code websocketx}
     * is no upgrade for the container, so none here either, or such a request would
     * reach the API without Basic auth.
     */
    private static boolean hasWebsocketToken(HttpServletRequest request) {
        Enumeration<String> values = request.getHeaders("Upgrade");
        while (values != null && values.hasMoreElements()) {
            for (String token : values.nextElement().split(",")) {
                if (token.trim().equalsIgnoreCase("websocket")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The decoded, normalized request path below the context path ("/" for the
     * root), as the container's websocket filter maps it: {@code /%77s} and
     * {@code /ws;x=1} are {@code /ws}.
     */
    public static String pathInContext(HttpServletRequest request) {
        String pathInfo = request.getPathInfo();
        String path = request.getServletPath() + (pathInfo == null ? "" : pathInfo);
        return path.isEmpty() ? "/" : path;
    }
}
