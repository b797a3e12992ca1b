package org.goctopus.auth;

import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonPointer;
import jakarta.json.JsonString;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.goctopus.json.JsonText;

/**
 * Picks a connection's keys out of the auth response with WS_AUTH_KEYS: each JSON
 * Pointer names a string, a number (its decimal text) or an array of them; empty
 * values and other types are skipped.
 */
public final class KeyExtractor {

    private final List<JsonPointer> pointers;

    public KeyExtractor(List<String> pointers) {
        this.pointers = pointers.stream().map(JsonText.PROVIDER::createPointer).toList();
    }

    public List<String> keys(JsonStructure response) {
        Set<String> keys = new LinkedHashSet<>();
        for (JsonPointer pointer : pointers) {
            try {
                if (pointer.containsValue(response)) {
                    add(pointer.getValue(response), keys);
                }
            } catch (JsonException e) {
                // the pointer walks through a non-container: nothing there
            }
        }
        return List.copyOf(keys);
    }

    /** Past this many digits before or after the point, a number is no id: it keeps its exponent. */
    private static final int MAX_PLAIN_DIGITS = 100;

    /**
     * A number's decimal text (1e3 is "1000", as an id is written), unless that text would be
     * huge: 7e2046227878 expanded would be two billion digits, an answer's few bytes costing
     * gigabytes; it stays "7E+2046227878".
     */
    private static String decimalText(BigDecimal number) {
        int integerDigits = number.precision() - number.scale();
        return integerDigits <= MAX_PLAIN_DIGITS && number.scale() <= MAX_PLAIN_DIGITS
                ? number.toPlainString() : number.toString();
    }

    private static void add(JsonValue value, Set<String> keys) {
        if (value instanceof JsonString s) {
            if (!s.getString().isEmpty()) {
                keys.add(s.getString());
            }
        } else if (value instanceof JsonNumber n) {
            keys.add(decimalText(n.bigDecimalValue()));
        } else if (value.getValueType() == JsonValue.ValueType.ARRAY) {
            for (JsonValue element : value.asJsonArray()) {
                if (element.getValueType() != JsonValue.ValueType.ARRAY) {
                    add(element, keys);
                }
            }
        }
    }
}
