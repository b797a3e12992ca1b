package org.goctopus.launcher;

import java.util.logging.LogManager;

/**
 * The launcher's log manager. The JDK's closes every log handler from a shutdown hook of
 * its own, which runs at the same time as the launcher's: a stop by SIGTERM then logged
 * nothing, neither Tomcat's steps nor the application's. This one ignores that call, as
 * Tomcat's own manager does in a standalone server; handlers flush each record, and the
 * process exits once the launcher's hook is done.
 */
public final class LoggingThroughShutdown extends LogManager {

    @Override
    public void reset() {
        if (Thread.currentThread().getClass().getName().startsWith(LogManager.class.getName() + "$")) {
            return; // the JDK's shutdown hook
        }
        super.reset();
    }
}
