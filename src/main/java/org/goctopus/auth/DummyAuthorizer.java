package org.goctopus.auth;

import java.util.List;

/** Development only: every connection gets the same keys (WS_AUTH_URL, comma separated). */
public final class DummyAuthorizer implements Authorizer {

    private final Decision allowed;

    public DummyAuthorizer(List<String> keys) {
        this.allowed = new Decision.Allowed(List.copyOf(keys));
    }

    @Override
    public Decision authorize(UpgradeRequest request) {
        return allowed;
    }
}
