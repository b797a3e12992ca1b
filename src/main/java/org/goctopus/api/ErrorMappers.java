package org.goctopus.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.Locale;
import java.util.logging.Logger;
import org.goctopus.log.Log;

/** Turns every failure into a status and a JSON error, so no client ever sees an HTML page. */
final class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class.getName());

    private ErrorMappers() {
    }

    static Response response(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(ErrorBody.json(message)).build();
    }

    static Response response(ApiException e) {
        Response.ResponseBuilder answer = Response.status(e.status()).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(ErrorBody.json(e.getMessage()));
        if (e.retryAfterSeconds() > 0) {
            answer.header("Retry-After", e.retryAfterSeconds());
        }
        return answer.build();
    }

    /** Our own refusals. */
    public static final class Api implements ExceptionMapper<ApiException> {
        @Override
        public Response toResponse(ApiException e) {
            return response(e);
        }
    }

    /** Jersey's: unknown path (404), unknown method (405), unreadable request (400, 415). */
    public static final class Jaxrs implements ExceptionMapper<WebApplicationException> {
        @Context
        private UriInfo uri;

        @Override
        public Response toResponse(WebApplicationException e) {
            Response original = e.getResponse();
            if (original.getStatus() == 405) {
                return methodNotAllowed(original);
            }
            String reason = original.getStatusInfo().getReasonPhrase();
            return Response.fromResponse(original).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(ErrorBody.json(reason == null ? "error" : reason.toLowerCase(Locale.ROOT))).build();
        }

        /**
         * One answer for every refused method: an Allow header that lists only what the path
         * accepts, and the same list in the message. Jersey's own Allow on the messages path
         * would list HEAD and OPTIONS, which that path refuses (SPEC: 405 for all but GET,
         * POST and DELETE).
         */
        private Response methodNotAllowed(Response original) {
            String allowed = uri.getPath().replace("/", "").isEmpty() ? MessagesResource.ALLOWED
                    : String.join(", ", original.getAllowedMethods().stream().sorted().toList());
            return Response.status(405).header("Allow", allowed).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(ErrorBody.json("method not allowed: use " + allowed)).build();
        }
    }

    /** A bug: logged with its stack, answered 500 without details. */
    public static final class Unexpected implements ExceptionMapper<Throwable> {
        @Override
        public Response toResponse(Throwable e) {
            Log.error(LOG, e, "request failed");
            return response(500, "internal error");
        }
    }
}
