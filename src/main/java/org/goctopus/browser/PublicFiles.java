package org.goctopus.browser;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.goctopus.api.ErrorBody;
import org.goctopus.config.Services;
import org.goctopus.ws.UpgradeRequests;

/**
 * The files a browser loads without credentials (SPEC §3): the client library, as a classic
 * script, as an ES module and its type declarations, and the console when WS_CONSOLE is
 * on. Each is read once from the application's own files ({@code webapp/}) and served
 * with an ETag. The module is the classic script with its exports appended, so the two
 * forms cannot drift apart.
 */
public final class PublicFiles extends HttpServlet {

    private static final String SCRIPT = "/goctopus.js";
    private static final String MODULE = "/goctopus.mjs";
    private static final String DECLARATIONS = "/goctopus.d.ts";
    private static final String CONSOLE = "/console";
    /**
     * A browser asks for it by itself on any page (the console's included): a challenge
     * there would prompt for credentials, so it passes, to a plain 404.
     */
    private static final String FAVICON = "/favicon.ico";
    private static final Set<String> CLIENT = Set.of(SCRIPT, MODULE, DECLARATIONS);

    /** The module form: where it was loaded from names the service, as document.currentScript does for the script. */
    private static final String MODULE_EXPORTS = """

            Goctopus.scriptUrl = import.meta.url;
            export default Goctopus;
            export const connect = Goctopus.connect;
            """;

    /**
     * The console talks to this service alone, runs only its own script and style, and is
     * never framed: a page that holds the API credentials in memory must not load anything
     * else.
     */
    static final String CONSOLE_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static final Map<String, String> TYPES = Map.of(
            ".js", "text/javascript; charset=utf-8",
            ".mjs", "text/javascript; charset=utf-8",
            ".ts", "text/plain; charset=utf-8",
            ".html", "text/html; charset=utf-8",
            ".css", "text/css; charset=utf-8",
            ".png", "image/png");

    private record File(byte[] body, String type, String etag) {
    }

    private final Map<String, Optional<File>> files = new ConcurrentHashMap<>();

    /** Whether a request is for a public file or the why endpoint: no Basic auth applies. */
    public static boolean isPublic(HttpServletRequest request) {
        String path = UpgradeRequests.pathInContext(request);
        return CLIENT.contains(path) || path.equals(CONSOLE) || path.startsWith(CONSOLE + "/")
                || path.equals(WhyServlet.PATH) || path.equals(FAVICON);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
            throws IOException, ServletException {
        if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) {
            ErrorBody.send(response, 405, "method not allowed");
            return;
        }
        String path = UpgradeRequests.pathInContext(request);
        if (CLIENT.contains(path)) {
            // Public and cross-origin by design: a module script from another origin needs CORS.
            response.setHeader("Access-Control-Allow-Origin", "*");
            serve(path, request, response);
            return;
        }
        if (!Services.of(getServletContext()).settings().console()) {
            ErrorBody.send(response, 404, "not found: the console is off (WS_CONSOLE)");
            return;
        }
        if (path.equals(CONSOLE)) {
            response.sendRedirect(request.getContextPath() + CONSOLE + "/");
            return;
        }
        response.setHeader("Content-Security-Policy", CONSOLE_POLICY);
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("X-Frame-Options", "DENY");
        serve(path.equals(CONSOLE + "/") ? CONSOLE + "/index.html" : path, request, response);
    }

    private void serve(String path, HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<File> file = files.computeIfAbsent(path, this::read);
        if (file.isEmpty()) {
            ErrorBody.send(response, 404, "not found");
            return;
        }
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("ETag", file.get().etag());
        if (file.get().etag().equals(request.getHeader("If-None-Match"))) {
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return;
        }
        response.setContentType(file.get().type());
        response.setContentLength(file.get().body().length);
        if (!"HEAD".equals(request.getMethod())) {
            response.getOutputStream().write(file.get().body());
        }
    }

    private Optional<File> read(String path) {
        String type = TYPES.get(path.substring(Math.max(0, path.lastIndexOf('.'))));
        String source = path.equals(MODULE) ? SCRIPT : path;
        if (type == null) {
            return Optional.empty();
        }
        try (InputStream in = getServletContext().getResourceAsStream(source)) {
            if (in == null) {
                return Optional.empty();
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            in.transferTo(body);
            if (path.equals(MODULE)) {
                body.write(MODULE_EXPORTS.getBytes(StandardCharsets.UTF_8));
            }
            byte[] bytes = body.toByteArray();
            return Optional.of(new File(bytes, type, "\"" + digest(bytes) + "\""));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + source, e);
        }
    }

    private static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
