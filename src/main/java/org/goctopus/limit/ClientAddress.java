package org.goctopus.limit;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Who a request comes from, for rate limits. The peer address, unless
 * WS_TRUST_PROXY_HEADERS: then the last element of X-Forwarded-For, the one the
 * proxy in front of this service appended (earlier elements are the client's word).
 */
public final class ClientAddress {

    private ClientAddress() {
    }

    public static String of(HttpServletRequest request, boolean trustProxyHeaders) {
        if (trustProxyHeaders) {
            String chain = request.getHeader("X-Forwarded-For");
            if (chain != null && !chain.isBlank()) {
                String last = chain.substring(chain.lastIndexOf(',') + 1).trim();
                if (!last.isEmpty()) {
                    return last;
                }
            }
        }
        return request.getRemoteAddr();
    }
}
