package org.goctopus.json;

import jakarta.json.Json;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import java.io.StringReader;

/**
 * The one way untrusted JSON is read here (publish bodies, ACK frames, auth
 * answers): exactly one value and nothing after it, and every way of failing
 * (syntax, Parsson's nesting limit) reported as {@link InvalidJsonException},
 * so bad input gets a clear answer instead of escaping as a 500.
 */
public final class StrictJson {

    private StrictJson() {
    }

    public static JsonValue parse(String text) {
        try (JsonParser parser = Json.createParser(new StringReader(text))) {
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

    /** Not one well-formed JSON value. */
    public static final class InvalidJsonException extends RuntimeException {
        public InvalidJsonException(String message) {
            super(message, null, false, false);
        }
    }
}
