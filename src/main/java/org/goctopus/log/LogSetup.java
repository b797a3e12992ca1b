package org.goctopus.log;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Date;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Routes this service's loggers ({@code org.goctopus.*}) to standard error in the
 * chosen format, at INFO, or FINE with WS_VERBOSE. Its own handler, so the format
 * and level hold whatever the container's logging says; removed on undeploy, so
 * it does not pin the application's classes.
 */
public final class LogSetup implements AutoCloseable {

    private static final String TEXT_FORMAT = "%1$tFT%1$tT.%1$tL %4$s %3$s: %5$s%6$s%n";

    private final Logger root = Logger.getLogger("org.goctopus");
    private final Handler handler;

    public LogSetup(boolean verbose, boolean json) {
        Formatter formatter = json ? new JsonFormatter() : new TextFormatter();
        handler = new ServiceHandler();
        handler.setFormatter(formatter);
        handler.setLevel(Level.ALL);
        root.setLevel(verbose ? Level.FINE : Level.INFO);
        // Where deployments share one LogManager (an embedded server, tests), the last one
        // started owns the handler: one line per record, never one per deployment.
        for (Handler existing : root.getHandlers()) {
            if (existing.getClass().getName().equals(ServiceHandler.class.getName())) {
                root.removeHandler(existing);
            }
        }
        root.addHandler(handler);
        root.setUseParentHandlers(false);
    }

    @Override
    public void close() {
        root.removeHandler(handler);
        root.setUseParentHandlers(true);
        root.setLevel(null);
        handler.close();
    }

    /** Standard error, under a name of its own so a later deployment can find and replace it. */
    private static final class ServiceHandler extends ConsoleHandler {
    }

    /** One line per record ({@code time level logger: event k=v}), whatever the JVM's default format. */
    private static final class TextFormatter extends SimpleFormatter {
        @Override
        public String format(LogRecord record) {
            String thrown = "";
            if (record.getThrown() != null) {
                StringWriter trace = new StringWriter();
                record.getThrown().printStackTrace(new PrintWriter(trace));
                thrown = System.lineSeparator() + trace;
            }
            String message = Log.hasFields(record) ? record.getMessage() : formatMessage(record);
            return String.format(TEXT_FORMAT, new Date(record.getMillis()), record.getSourceClassName(),
                    record.getLoggerName(), record.getLevel().getName(), message, thrown);
        }
    }
}
