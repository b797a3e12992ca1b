package org.goctopus.auth;

import java.util.List;

/** An authorizer's answer: allowed with keys, or refused with a status and why. */
public sealed interface Decision {

    record Allowed(List<String> keys) implements Decision {
    }

    /** {@code reason} goes to the client's JSON error; {@code cause} only to the log. */
    record Refused(int status, String reason, String cause) implements Decision {
    }

    static Decision refused(int status, String reason, String cause) {
        return new Refused(status, reason, cause);
    }
}
