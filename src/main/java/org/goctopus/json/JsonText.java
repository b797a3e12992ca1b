package org.goctopus.json;

import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * JSON in and out, one way. Reading untrusted JSON (publish bodies, ACK frames,
 * auth answers): exactly one value and nothing after it, every way of failing
 * (syntax, Parsson's nesting limit) reported as {@link InvalidJsonException}, so
 * bad input gets a clear answer instead of escaping as a 500.
 */
public final class JsonText {

    /**
     * Looked up once: every {@code jakarta.json.Json.create*} call looks the provider up
     * again, a ServiceLoader scan of the web application's jars that the benchmark's
     * profile showed on every publish and every ACK.
     */
    public static final JsonProvider PROVIDER = JsonProvider.provider();
    private static final JsonParserFactory PARSERS = PROVIDER.createParserFactory(Map.of());

    private JsonText() {
    }

    public static JsonValue parse(String text) {
        try (JsonParser parser = PARSERS.createParser(new StringReader(text))) {
            if (!parser.hasNext()) {
                throw new InvalidJsonException("empty");
            }
            parser.next();
            JsonValue value = parser.getValue();
            if (parser.hasNext()) { // Parsson's JsonReader would accept trailing text
                throw new InvalidJsonException("text after the JSON value");
            }
            return value;
        } catch (InvalidJsonException e) {
            throw e;
        } catch (RuntimeException e) {
            // JsonException for syntax; a plain RuntimeException past Parsson's depth limit.
            throw new InvalidJsonException(e.getMessage());
        }
    }

    /** {@code text} as a JSON string literal, quoted and escaped. */
    public static String quote(String text) {
        return PROVIDER.createValue(text).toString();
    }

    /** A JSON array of strings. */
    public static String stringArray(List<String> values) {
        StringJoiner json = new StringJoiner(",", "[", "]");
        values.forEach(v -> json.add(quote(v)));
        return json.toString();
    }

    /** The strings of a JSON array of strings that this service wrote itself (not untrusted input). */
    public static List<String> strings(String jsonArray) {
        return parse(jsonArray).asJsonArray().getValuesAs(JsonString.class).stream().map(JsonString::getString)
                .toList();
    }

    /** Not one well-formed JSON value. */
    public static final class InvalidJsonException extends RuntimeException {
        public InvalidJsonException(String message) {
            super(message, null, false, false);
        }
    }
}
