package org.goctopus.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import org.goctopus.support.Api;
import org.goctopus.support.Await;
import org.goctopus.support.RawUpgrade;
import org.goctopus.support.TestServer;
import org.goctopus.support.WsClient;
import org.junit.jupiter.api.Test;

/**
 * WS_LOG_FORMAT and WS_VERBOSE (SPEC §1): what the service writes to standard error.
 * Each test swaps System.err for a buffer before its server starts (the service's
 * console handler takes the stream it finds then) and restores it after the server
 * stopped. The scenario each time: a publish, a websocket opened, acknowledged and
 * closed, and an upgrade refused for its Origin.
 */
class LogFormatTest {

    private static final String GOOD_ORIGIN = "https://good.example";
    private static final String MARKER = "payload-marker-7f3a";
    private static final String VALUE = "{\"secret\":\"" + MARKER + "\"}";
    private static final Pattern TEXT_LINE = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3} (FINEST|FINER|FINE|CONFIG|INFO|WARNING|SEVERE)"
                    + " org\\.goctopus(\\.\\w+)+: \\S.*");

    @Test
    void jsonFormatWritesOneJsonObjectPerLine() {
        String out = capture(Map.of("WS_LOG_FORMAT", "json"), server -> scenario(server, false));
        List<JsonObject> records = jsonRecords(out);
        assertFalse(records.isEmpty(), "no JSON line in:\n" + out);
        JsonObject refused = only(records, "upgrade refused");
        assertTrue(refused.get("status") instanceof JsonNumber n && n.intValue() == 403, refused.toString());
        assertEquals("INFO", refused.getString("level"));
        assertEquals("org.goctopus.ws.UpgradeFilter", refused.getString("logger"));
        assertTrue(refused.getString("cause").contains("https://evil.example"), refused.toString());
        assertFalse(records.stream().anyMatch(r -> r.getString("event").equals("published")),
                "a FINE record without WS_VERBOSE");
        assertFalse(out.contains(MARKER), "a message body in the log without WS_VERBOSE:\n" + out);
    }

    @Test
    void jsonFormatWithVerboseLogsPublishedWithTheMessageFields() {
        List<String> published = new ArrayList<>();
        String out = capture(Map.of("WS_LOG_FORMAT", "json", "WS_VERBOSE", "true"), server -> {
            published.add(scenario(server, true));
        });
        String id = published.get(0);
        List<JsonObject> records = jsonRecords(out);
        JsonObject line = only(records, "published");
        assertEquals("FINE", line.getString("level"));
        assertEquals("org.goctopus.core.Hub", line.getString("logger"));
        assertEquals(id, line.getString("msg"));
        assertTrue(line.get("keys") != null && line.get("keys").toString().contains("k"), line.toString());
        assertEquals(Api.json(VALUE), Api.json(line.getString("payload")));
        // The socket's life, with its connection id.
        JsonObject registered = only(records, "registered");
        JsonValue conn = registered.get("conn");
        assertTrue(conn != null && !conn.toString().isBlank(), registered.toString());
        JsonObject acked = only(records, "acked");
        assertEquals(conn, acked.get("conn"));
        assertEquals(id, acked.getString("msg"));
        assertEquals(conn, only(records, "closed").get("conn"));
        assertTrue(only(records, "upgrade refused").get("status") instanceof JsonNumber);
    }

    @Test
    void textFormatWithVerboseWritesOneLinePerRecordWithFields() {
        List<String> published = new ArrayList<>();
        String out = capture(Map.of("WS_VERBOSE", "true"), server -> {
            published.add(scenario(server, true));
            // A key may hold any character, a line break too: it must not start a forged record.
            server.server().api().publish("{\"key\":\"evil\\n2000-01-01T00:00:00.000 INFO org.goctopus.Forged:"
                    + " forged\\r\\nline\",\"value\":0}");
        });
        String id = published.get(0);
        List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
        for (String line : lines) {
            assertTrue(TEXT_LINE.matcher(line).matches(), "not one record per line: " + line + "\nin:\n" + out);
        }
        assertEquals(2, lines.stream().filter(l -> l.contains(" published ")).count(), out);
        assertTrue(lines.stream().noneMatch(l -> l.contains("Forged") && !l.contains(" published ")), out);
        assertTrue(lines.stream().anyMatch(l -> l.contains(" published ")
                && l.contains(" keys=[evil\\n2000-01-01T00:00:00.000 INFO org.goctopus.Forged: forged\\r\\nline]")), out);
        String publishedLine = lines.stream().filter(l -> l.contains(" published msg=" + id)).findFirst()
                .orElseThrow();
        assertTrue(publishedLine.matches(".* FINE org\\.goctopus\\.core\\.Hub: published msg=" + id
                + " keys=\\[k\\] payload=.*"), publishedLine);
        assertTrue(lines.stream().anyMatch(l -> l.matches(".* FINE org\\.goctopus\\.core\\.Hub: fan-out msg=" + id
                + " sockets=1 .*")), out);
        assertTrue(publishedLine.endsWith("payload=" + VALUE), publishedLine);
        assertTrue(lines.stream().anyMatch(l -> l.matches(".* INFO org\\.goctopus\\.ws\\.UpgradeFilter:"
                + " upgrade refused status=403 peer=127\\.0\\.0\\.1 cause=.*")), out);
        assertTrue(lines.stream().anyMatch(l -> l.matches(".* FINE org\\.goctopus\\.core\\.Hub: acked conn=\\S+ msg="
                + id)), out);
    }

    @Test
    void textFieldValuesHaveTheirControlCharactersEscaped() {
        Logger logger = Logger.getAnonymousLogger();
        List<LogRecord> records = new ArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.setUseParentHandlers(false);
        logger.setLevel(Level.ALL);
        logger.addHandler(handler);
        String plain = "v with spaces, =, é and ✓";
        Log.info(logger, "event", "plain", plain, "raw", "a\nb\r\tc\u0000d\u2028e\u0085");
        assertEquals("event plain=" + plain + " raw=a\\nb\\r\\tc\\u0000d\\u2028e\\u0085",
                records.get(0).getMessage());
        // The JSON format escapes by itself: it gets the values as they are.
        assertEquals("a\nb\r\tc\u0000d\u2028e\u0085", records.get(0).getParameters()[4]);
    }

    // --- helpers ---------------------------------------------------------------------------------

    /**
     * Publishes to k, opens a socket that receives and acknowledges it, closes it, then has
     * an upgrade refused. With {@code verbose}, waits for the debug lines of the close.
     *
     * @return the published message's id
     */
    private static String scenario(CapturedServer server, boolean verbose) {
        TestServer s = server.server();
        Api api = s.api();
        String id;
        try (WsClient client = WsClient.connect(s.ws("/"))) {
            id = api.publish("{\"key\":\"k\",\"value\":" + VALUE + "}");
            assertEquals(id, client.next().getString("id"));
            client.ack(id);
            Await.until(() -> api.get("/?key=k").body().equals("[]"));
        }
        try (RawUpgrade up = RawUpgrade.open(s.port(), "/", Map.of("Origin", "https://evil.example"))) {
            assertEquals(403, up.status(), up.head());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        if (verbose) {
            // The server logs the close when it has processed it, after the client's close returned.
            Await.until(() -> server.output().contains("closed"));
        }
        return id;
    }

    private record CapturedServer(TestServer server, ByteArrayOutputStream buffer) {
        String output() {
            return buffer.toString(StandardCharsets.UTF_8);
        }
    }

    /** Runs {@code body} against a server started (and stopped) while System.err is captured. */
    private static String capture(Map<String, String> settings, Consumer<CapturedServer> body) {
        Map<String, String> all = new HashMap<>(settings);
        all.put("WS_ALLOWED_ORIGINS", GOOD_ORIGIN);
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        String out;
        try {
            try (TestServer server = TestServer.start(all)) {
                body.accept(new CapturedServer(server, buffer));
            }
        } finally {
            System.err.flush();
            System.setErr(original);
            out = buffer.toString(StandardCharsets.UTF_8);
        }
        return out;
    }

    /** Every line that starts like JSON, each parsed and checked for the four common fields. */
    private static List<JsonObject> jsonRecords(String out) {
        List<JsonObject> records = new ArrayList<>();
        for (String line : out.lines().toList()) {
            if (line.isBlank()) {
                continue;
            }
            assertTrue(line.startsWith("{"), "not a JSON line: " + line + "\nin:\n" + out);
            JsonObject record;
            try {
                record = Api.json(line).asJsonObject();
            } catch (RuntimeException e) {
                throw new AssertionError("not JSON: " + line, e);
            }
            assertTrue(record.keySet().containsAll(Set.of("time", "level", "logger", "event")), line);
            Instant.parse(record.getString("time"));
            assertTrue(record.getString("logger").startsWith("org.goctopus."), line);
            records.add(record);
        }
        return records;
    }

    private static JsonObject only(List<JsonObject> records, String event) {
        List<JsonObject> found = records.stream().filter(r -> r.getString("event").equals(event)).toList();
        assertEquals(1, found.size(), () -> "records of \"" + event + "\": " + found + " among " + records);
        return found.get(0);
    }
}
