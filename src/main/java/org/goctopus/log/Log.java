package org.goctopus.log;

import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Log lines that carry fields, not prose: {@code event k=v k=v}. The fields also
 * travel as the record's parameters, so {@link JsonFormatter} writes each as a
 * JSON field. Message bodies are logged only at FINE (WS_VERBOSE).
 */
public final class Log {

    private Log() {
    }

    public static void info(Logger logger, String event, Object... fields) {
        log(logger, Level.INFO, null, event, fields);
    }

    public static void debug(Logger logger, String event, Object... fields) {
        log(logger, Level.FINE, null, event, fields);
    }

    public static void warn(Logger logger, Throwable error, String event, Object... fields) {
        log(logger, Level.WARNING, error, event, fields);
    }

    public static void error(Logger logger, Throwable error, String event, Object... fields) {
        log(logger, Level.SEVERE, error, event, fields);
    }

    /** @param fields alternating names and values */
    public static void log(Logger logger, Level level, Throwable error, String event, Object... fields) {
        if (!logger.isLoggable(level)) {
            return;
        }
        StringBuilder text = new StringBuilder(event);
        for (int i = 0; i + 1 < fields.length; i += 2) {
            text.append(' ').append(fields[i]).append('=').append(oneLine(String.valueOf(fields[i + 1])));
        }
        LogRecord record = new LogRecord(level, text.toString());
        record.setLoggerName(logger.getName());
        record.setParameters(prepend(event, fields));
        record.setThrown(error);
        logger.log(record);
    }

    /**
     * A field's value with its control characters (and Unicode line separators) escaped, so
     * that a value from outside (a key, a cause) can neither break the line nor forge a record.
     */
    static String oneLine(String value) {
        StringBuilder out = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean control = Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
            if (control && out == null) {
                out = new StringBuilder(value.length() + 16).append(value, 0, i);
            }
            if (out == null) {
                continue;
            }
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (control) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out == null ? value : out.toString();
    }

    /** Whether a record came from here, its message already rendered and its fields in its parameters. */
    static boolean hasFields(LogRecord record) {
        Object[] p = record.getParameters();
        return p != null && p.length > 0 && p[0] instanceof String event && record.getMessage() != null
                && record.getMessage().startsWith(event);
    }

    /** Parameters: the event, then the fields, so a formatter can tell them from the rendered text. */
    private static Object[] prepend(String event, Object[] fields) {
        Object[] parameters = new Object[fields.length + 1];
        parameters[0] = event;
        System.arraycopy(fields, 0, parameters, 1, fields.length);
        return parameters;
    }
}
