package org.goctopus.api;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.goctopus.config.GoDuration;
import org.goctopus.config.Settings;
import org.goctopus.core.Publication;
import org.goctopus.json.JsonText;

/**
 * A publish body, validated at the boundary:
 * {@code {"key": "...", "keys": [...], "value": <any JSON but null>, "expire": "30m", "message_id": "<uuid>"}}.
 * Each way it can be wrong is a 400 with a message saying which field and why.
 */
final class PublishRequest {

    private PublishRequest() {
    }

    static Publication parse(byte[] body, Settings settings) {
        JsonObject json = object(decode(body));
        List<String> keys = keys(json);
        JsonValue value = json.get("value");
        if (value == null || value == JsonValue.NULL) {
            throw ApiException.badRequest("\"value\" is required and may not be null");
        }
        Duration expire = settings.msgExpire();
        String expireText = settings.msgExpireText();
        JsonValue expireField = json.get("expire");
        if (expireField != null && expireField != JsonValue.NULL) {
            expireText = string(expireField, "expire");
            try {
                expire = GoDuration.parse(expireText);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("\"expire\" is not a duration (Go syntax: 30s, 10m, 1.5h)");
            }
            if (expire.isZero()) {
                throw ApiException.badRequest("\"expire\" must be longer than 0");
            }
        }
        UUID messageId = null;
        JsonValue idField = json.get("message_id");
        if (idField != null && idField != JsonValue.NULL) {
            messageId = uuid(string(idField, "message_id"), "message_id");
        }
        return new Publication(keys, value.toString(), expire, expireText, messageId);
    }

    private static String decode(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw ApiException.badRequest("body is not valid UTF-8");
        }
    }

    private static JsonObject object(String text) {
        JsonValue value;
        try {
            value = JsonText.parse(text);
        } catch (JsonText.InvalidJsonException e) {
            throw ApiException.badRequest("body is not valid JSON");
        }
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            throw ApiException.badRequest("body must be a JSON object");
        }
        return value.asJsonObject();
    }

    private static List<String> keys(JsonObject json) {
        Set<String> keys = new LinkedHashSet<>();
        JsonValue key = json.get("key");
        if (key != null && key != JsonValue.NULL) {
            keys.add(string(key, "key"));
        }
        JsonValue many = json.get("keys");
        if (many != null && many != JsonValue.NULL) {
            if (many.getValueType() != JsonValue.ValueType.ARRAY) {
                throw ApiException.badRequest("\"keys\" must be an array of strings");
            }
            for (JsonValue k : many.asJsonArray()) {
                keys.add(string(k, "keys"));
            }
        }
        keys.remove("");
        if (keys.isEmpty()) {
            throw ApiException.badRequest("\"key\" or \"keys\" is required: at least one non-empty key");
        }
        return new ArrayList<>(keys);
    }

    private static String string(JsonValue value, String field) {
        if (value instanceof JsonString s) {
            return s.getString();
        }
        throw ApiException.badRequest("\"" + field + "\" must be a string");
    }

    static UUID uuid(String text, String field) {
        try {
            UUID id = UUID.fromString(text);
            if (!id.toString().equalsIgnoreCase(text)) {
                throw new IllegalArgumentException(text); // UUID.fromString accepts "1-1-1-1-1"
            }
            return id;
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("\"" + field + "\" is not a UUID");
        }
    }
}
