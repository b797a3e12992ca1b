package org.goctopus.engine;

import java.util.concurrent.CompletionException;

/** What failed a stage: a dependent stage sees its source's failure wrapped in a CompletionException. */
final class Failures {

    private Failures() {
    }

    static Throwable cause(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
