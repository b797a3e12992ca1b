package org.goctopus.api;

import jakarta.inject.Singleton;
import jakarta.servlet.ServletContext;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.InputStream;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.CompletionStage;
import org.goctopus.config.Services;
import org.goctopus.core.Hub;
import org.goctopus.core.Message;
import org.goctopus.core.Publication;
import org.goctopus.core.TrafficWatches;
import org.goctopus.json.BoundedBody;
import org.goctopus.json.JsonText;

/**
 * The backend API at {@code /}: publish, read queues and presence, delete.
 * Basic auth is applied before this by {@link BasicAuthFilter}.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Singleton // one instance, not one built and injected per request: publish is the hot path
public class MessagesResource {

    private static final DateTimeFormatter RFC3339_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneOffset.UTC);

    @Context
    private ServletContext context;
    @Context
    private UriInfo uri;

    /** Publishes; the body is read as JSON whatever its Content-Type says. */
    @POST
    public Object publish(@HeaderParam("Content-Length") Long length, InputStream body) throws IOException {
        Services services = Services.of(context);
        int limit = services.settings().maxMessageSize();
        byte[] bytes = BoundedBody.read(body, length == null ? -1 : length, limit);
        if (bytes == null) {
            throw new ApiException(413, "body larger than WS_MAX_MESSAGE_SIZE (" + limit + " bytes)");
        }
        Publication publication = PublishRequest.parse(bytes, services.settings());
        return services.replies().of(services.hub().publish(publication), accepted -> {
            Message message = accepted.message();
            String json = "{\"id\":\"" + message.id() + "\",\"keys\":" + JsonText.stringArray(message.keys()) + "}";
            return Response.accepted(json).build();
        });
    }

    /**
     * {@code /}: keys holding messages; {@code ?key=K}: K's queue; {@code ?key=K&history}: K's
     * recent messages; {@code ?key=K&watch&after=N}: K's traffic after event N;
     * {@code ?presence}: live sockets per key.
     */
    @GET
    public Object read() {
        Services services = Services.of(context);
        Hub hub = services.hub();
        MultivaluedMap<String, String> query = onlyParameters("key", "presence", "history", "watch", "after");
        if (query.containsKey("watch") || query.containsKey("after")) {
            return watch(hub, query.getFirst("key"), query.getFirst("after"));
        }
        if (query.containsKey("presence")) {
            return services.replies().of(hub.presence(), presence -> {
                StringJoiner json = new StringJoiner(",", "{", "}");
                presence.forEach((key, count) -> json.add(quote(key) + ":" + count));
                return Response.ok(json.toString()).build();
            });
        }
        String key = query.getFirst("key");
        boolean history = query.containsKey("history");
        if (key == null) {
            if (history) {
                throw ApiException.badRequest("\"history\" needs \"key\"");
            }
            return services.replies().of(hub.keys(), keys -> Response.ok(JsonText.stringArray(keys)).build());
        }
        if (history && services.settings().historySize() == 0) {
            throw ApiException.badRequest("history is off (WS_HISTORY_SIZE=0)");
        }
        return services.replies().of(history ? hub.history(key) : hub.queued(key), messages -> {
            StringJoiner json = new StringJoiner(",", "[", "]");
            for (Message m : messages) {
                json.add("{\"id\":\"" + m.id() + "\",\"payload\":" + m.payloadJson() + ",\"key\":" + quote(key)
                        + ",\"exp\":" + quote(m.expireText()) + ",\"date\":\"" + RFC3339_MILLIS.format(m.date())
                        + "\"}");
            }
            return Response.ok(json.toString()).build();
        });
    }

    /**
     * A key's traffic, for the console: {@code {"last": N, "missed": bool, "events": [{"n",
     * "event", "id", "date", "payload" or "payload_bytes"}]}}, the events numbered after
     * {@code after} (0 or absent: the first poll, which starts the watch).
     */
    private static Response watch(Hub hub, String key, String after) {
        if (key == null) {
            throw ApiException.badRequest("\"watch\" needs \"key\"");
        }
        long from;
        try {
            from = after == null ? 0 : Long.parseLong(after);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("\"after\" must be an event number");
        }
        TrafficWatches.Page page = hub.watches().poll(key, from);
        if (page == null) {
            throw new ApiException(503, "too many keys watched at once");
        }
        StringJoiner events = new StringJoiner(",", "[", "]");
        for (TrafficWatches.Event e : page.events()) {
            String payload = !e.what().equals("published") ? ""
                    : e.payloadJson() != null ? ",\"payload\":" + e.payloadJson()
                    : ",\"payload_bytes\":" + e.payloadBytes();
            events.add("{\"n\":" + e.n() + ",\"event\":\"" + e.what() + "\",\"id\":\"" + e.id()
                    + "\",\"date\":\"" + RFC3339_MILLIS.format(e.at()) + "\"" + payload + "}");
        }
        return Response.ok("{\"last\":" + page.last() + ",\"missed\":" + page.missed() + ",\"events\":"
                + events + "}").build();
    }

    /** {@code ?key=K&id=ID}: one message of K; {@code ?key=K}: all of K; nothing: everything. */
    @DELETE
    public Object delete() {
        Services services = Services.of(context);
        Hub hub = services.hub();
        MultivaluedMap<String, String> query = onlyParameters("key", "id");
        String key = query.getFirst("key");
        String id = query.getFirst("id");
        CompletionStage<Integer> deleted;
        if (id != null) {
            if (key == null) {
                throw ApiException.badRequest("\"id\" needs \"key\"");
            }
            deleted = hub.delete(key, PublishRequest.uuid(id, "id"));
        } else if (key != null) {
            deleted = hub.deleteKey(key);
        } else {
            deleted = hub.deleteAll();
        }
        return services.replies().of(deleted, n -> Response.ok("{\"deleted\":" + n + "}").build());
    }

    /** The only methods of this path (SPEC); the rest, HEAD and OPTIONS included, are 405. */
    static final String ALLOWED = "DELETE, GET, POST";

    @HEAD
    public Response head() {
        throw new NotAllowedException(ALLOWED);
    }

    @OPTIONS
    public Response options() {
        throw new NotAllowedException(ALLOWED);
    }

    /** An unknown parameter is refused: a typo must never widen a read or a delete. */
    private MultivaluedMap<String, String> onlyParameters(String... allowed) {
        MultivaluedMap<String, String> query = uri.getQueryParameters();
        Set<String> known = Set.of(allowed);
        for (String name : query.keySet()) {
            if (!known.contains(name)) {
                throw ApiException.badRequest("unknown parameter \"" + name + "\"");
            }
        }
        return query;
    }

    private static String quote(String text) {
        return JsonText.quote(text);
    }
}
