package org.goctopus.log;

import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonGeneratorFactory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Collection;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;
import org.goctopus.json.JsonText;

/**
 * WS_LOG_FORMAT=json: one JSON object per line, with {@code time}, {@code level},
 * {@code logger}, {@code event}, each field of a {@link Log} call, and
 * {@code error} with the stack trace when there is one.
 */
public final class JsonFormatter extends Formatter {

    private static final JsonGeneratorFactory GENERATORS = JsonText.PROVIDER.createGeneratorFactory(null);

    @Override
    public String format(LogRecord record) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = GENERATORS.createGenerator(out)) {
            json.writeStartObject()
                    .write("time", Instant.ofEpochMilli(record.getMillis()).toString())
                    .write("level", record.getLevel().getName())
                    .write("logger", String.valueOf(record.getLoggerName()));
            Object[] p = record.getParameters();
            if (Log.hasFields(record)) {
                json.write("event", (String) p[0]);
                for (int i = 1; i + 1 < p.length; i += 2) {
                    write(json, String.valueOf(p[i]), p[i + 1]);
                }
            } else {
                json.write("event", formatMessage(record)); // a record from outside Log (Tomcat, Jersey)
            }
            if (record.getThrown() != null) {
                StringWriter trace = new StringWriter();
                record.getThrown().printStackTrace(new PrintWriter(trace));
                json.write("error", trace.toString());
            }
            json.writeEnd();
        }
        return out.append(System.lineSeparator()).toString();
    }

    private static void write(JsonGenerator json, String name, Object value) {
        if (value instanceof Integer || value instanceof Long) {
            json.write(name, ((Number) value).longValue());
        } else if (value instanceof Boolean b) {
            json.write(name, b);
        } else if (value instanceof Collection<?> values) {
            json.writeStartArray(name);
            values.forEach(v -> json.write(String.valueOf(v)));
            json.writeEnd();
        } else {
            json.write(name, String.valueOf(value));
        }
    }
}
