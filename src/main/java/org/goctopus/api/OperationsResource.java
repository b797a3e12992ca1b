package org.goctopus.api;

import jakarta.inject.Singleton;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import java.util.Set;
import org.goctopus.config.Services;
import org.goctopus.metrics.Metrics;
import org.goctopus.ws.UpgradeRequests;

/** Probes and metrics, without auth: meant for an internal network. */
@Path("/")
@Singleton
public class OperationsResource {

    private static final Set<String> PATHS = Set.of("/healthz", "/readyz", "/metrics", "/version");

    /** A probe: neither Basic auth nor the rate limit applies to it. */
    public static boolean isProbe(HttpServletRequest request) {
        return PATHS.contains(UpgradeRequests.pathInContext(request));
    }

    private static final String VERSION = readVersion();

    @Context
    private ServletContext context;

    /** Up: the process answers. */
    @GET
    @Path("healthz")
    @Produces(MediaType.APPLICATION_JSON)
    public String health() {
        return "{\"status\":\"ok\"}";
    }

    /** Ready: storage and authorizer are built, the store answers, and the service is not stopping. */
    @GET
    @Path("readyz")
    @Produces(MediaType.APPLICATION_JSON)
    public Response ready() {
        if (!Services.started(context) || !Services.of(context).hub().ready()) {
            return ErrorMappers.response(503, "not ready");
        }
        return Response.ok("{\"status\":\"ready\"}").build();
    }

    @GET
    @Path("metrics")
    public Response metrics() {
        return Response.ok(Services.of(context).metrics().scrape(), Metrics.contentType()).build();
    }

    @GET
    @Path("version")
    @Produces(MediaType.APPLICATION_JSON)
    public String version() {
        return "{\"name\":\"goctopus\",\"version\":\"" + VERSION + "\"}";
    }

    private static String readVersion() {
        Properties properties = new Properties();
        try (InputStream in = OperationsResource.class.getResourceAsStream("/org/goctopus/version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("version", "unknown");
    }
}
