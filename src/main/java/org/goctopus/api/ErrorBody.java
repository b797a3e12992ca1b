package org.goctopus.api;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.goctopus.json.JsonText;

/** Every refusal's body: {@code {"error": "..."}}. */
public final class ErrorBody {

    private ErrorBody() {
    }

    public static String json(String message) {
        return "{\"error\":" + JsonText.quote(message) + "}";
    }

    /** Answers from a servlet filter, before JAX-RS is reached. */
    public static void send(HttpServletResponse response, int status, String message) throws IOException {
        sendJson(response, status, json(message));
    }

    /** Any JSON answer from a servlet or filter. */
    public static void sendJson(HttpServletResponse response, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
