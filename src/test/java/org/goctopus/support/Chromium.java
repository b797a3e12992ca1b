package org.goctopus.support;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Headless Chromium (Debian's) driven by playwright-core, through
 * {@code src/test/js/browser-bridge.mjs}: one Node process per test class, one browser
 * context per {@link Page}. Every call is bounded in time.
 */
public final class Chromium implements AutoCloseable {

    private static final Path BRIDGE = Path.of("src/test/js/browser-bridge.mjs");
    private static final long CALL_SECONDS = 30;

    private final Process process;
    private final Writer requests;
    private final BufferedReader answers;
    private final String versions;
    private int nextId;

    private Chromium() throws IOException {
        process = new ProcessBuilder("node", BRIDGE.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        requests = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        JsonObject ready = read();
        versions = "playwright-core " + ready.getString("playwright") + ", Chromium " + ready.getString("chromium");
        System.out.println("browser tests: " + versions);
    }

    public static Chromium launch() {
        try {
            return new Chromium();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Which playwright-core and Chromium run, for the test log. */
    public String versions() {
        return versions;
    }

    /** A new page (with a context of its own) at {@code url}, with the cookies given as name=value for the URL's host. */
    public Page open(URI url, String... cookies) {
        var list = Json.createArrayBuilder();
        for (String cookie : cookies) {
            String[] nameValue = cookie.split("=", 2);
            list.add(Json.createObjectBuilder().add("name", nameValue[0]).add("value", nameValue[1])
                    .add("domain", url.getHost()).add("path", "/"));
        }
        JsonObject answer = call(Json.createObjectBuilder().add("op", "open").add("url", url.toString())
                .add("cookies", list));
        return new Page(answer.getInt("page"));
    }

    /** The console page at {@code console}, signed in with the API credentials; the caller closes it. */
    public Page signedInConsole(URI console, String login, String password) {
        Page page = open(console);
        page.fill("#login", login);
        page.fill("#password", password);
        page.click("#credentials button");
        return page;
    }

    private synchronized JsonObject call(JsonObjectBuilder request) {
        int id = ++nextId;
        try {
            requests.write(request.add("id", id).build().toString() + "\n");
            requests.flush();
            JsonObject answer = read();
            if (answer.getInt("id") != id) {
                throw new IllegalStateException("answer " + answer + " to request " + id);
            }
            if (!answer.getBoolean("ok")) {
                throw new AssertionError("in the browser: " + answer.getString("error"));
            }
            return answer;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonObject read() throws IOException {
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                return answers.readLine();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            String text = line.get(CALL_SECONDS, TimeUnit.SECONDS);
            if (text == null) {
                throw new IllegalStateException("the browser bridge exited");
            }
            return Json.createReader(new StringReader(text)).readObject();
        } catch (TimeoutException e) {
            process.destroyForcibly();
            throw new AssertionError("the browser did not answer within " + CALL_SECONDS + " s");
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws Exception {
        requests.close();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    /** One page; {@link #eval} runs a JavaScript expression in it (a promise is awaited). */
    public final class Page implements AutoCloseable {
        private final int id;

        private Page(int id) {
            this.id = id;
        }

        public JsonValue eval(String js) {
            JsonObject answer = call(Json.createObjectBuilder().add("op", "eval").add("page", id).add("js", js));
            return answer.containsKey("value") ? answer.get("value") : JsonValue.NULL;
        }

        public String text(String js) {
            JsonValue value = eval(js);
            return value.getValueType() == JsonValue.ValueType.STRING ? ((jakarta.json.JsonString) value).getString()
                    : value.toString();
        }

        public int number(String js) {
            return ((jakarta.json.JsonNumber) eval(js)).intValue();
        }

        public void fill(String selector, String value) {
            call(Json.createObjectBuilder().add("op", "fill").add("page", id).add("selector", selector)
                    .add("value", value));
        }

        public void click(String selector) {
            call(Json.createObjectBuilder().add("op", "click").add("page", id).add("selector", selector));
        }

        public void screenshot(Path path) {
            call(Json.createObjectBuilder().add("op", "screenshot").add("page", id)
                    .add("path", path.toAbsolutePath().toString()));
        }

        /** What the page logged, its errors included: for failure messages. */
        public String consoleLog() {
            JsonArray lines = call(Json.createObjectBuilder().add("op", "console").add("page", id))
                    .getJsonArray("value");
            return lines.toString();
        }

        @Override
        public void close() {
            call(Json.createObjectBuilder().add("op", "closePage").add("page", id));
        }
    }
}
