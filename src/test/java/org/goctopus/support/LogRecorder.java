package org.goctopus.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * What a logger (and the loggers under it) logs while this is open, each record as one
 * formatted text: how a test reads an in-process server's log. Records below the logger's
 * level (the test logging's: warnings and worse, unless a logger says otherwise) never come.
 */
public final class LogRecorder extends Handler implements AutoCloseable {

    private final Logger logger;
    private final SimpleFormatter format = new SimpleFormatter();
    private final List<String> records = new CopyOnWriteArrayList<>();
    private final List<String> messages = new CopyOnWriteArrayList<>();

    private LogRecorder(Logger logger) {
        this.logger = logger;
        logger.addHandler(this);
    }

    /** Records what {@code name} logs ("" for every logger). */
    public static LogRecorder of(String name) {
        return new LogRecorder(Logger.getLogger(name));
    }

    @Override
    public void publish(LogRecord record) {
        records.add(format.format(record));
        messages.add(record.getMessage());
    }

    /** Everything recorded, formatted as the test log shows it. */
    public String text() {
        return String.join("", records);
    }

    /** The recorded messages alone. */
    public List<String> messages() {
        return List.copyOf(messages);
    }

    @Override
    public void flush() {
    }

    /** Stops recording; what was recorded stays readable. */
    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
