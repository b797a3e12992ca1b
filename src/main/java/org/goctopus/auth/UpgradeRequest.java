package org.goctopus.auth;

import java.util.List;
import java.util.Map;

/**
 * What an authorizer sees of an upgrade: its headers (names as sent), the path
 * and query it asked for, and the X-Forwarded-For chain with the peer appended.
 */
public record UpgradeRequest(Map<String, List<String>> headers, String originalUri, String forwardedFor) {

    /** A header's values joined by ", ", its name matched in any case; null when absent. */
    public String header(String name) {
        for (Map.Entry<String, List<String>> h : headers.entrySet()) {
            if (h.getKey().equalsIgnoreCase(name)) {
                return String.join(", ", h.getValue());
            }
        }
        return null;
    }
}
