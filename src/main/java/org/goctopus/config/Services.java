package org.goctopus.config;

import jakarta.servlet.ServletContext;
import org.goctopus.api.Replies;
import org.goctopus.auth.Authorizer;
import org.goctopus.auth.RecentRefusals;
import org.goctopus.core.Hub;
import org.goctopus.engine.Storage;
import org.goctopus.limit.RateLimiter;
import org.goctopus.log.LogSetup;
import org.goctopus.metrics.Metrics;

/**
 * The application-wide singletons of one deployment, built and closed by
 * {@link Lifecycle} and found by filters and resources in the servlet context.
 * (Tomcat has neither EJB nor CDI; a context attribute is the portable channel.)
 */
public record Services(Settings settings, Hub hub, Storage storage, Replies replies, Authorizer authorizer,
                       RateLimiter rateLimiter, RecentRefusals refusals, Metrics metrics,
                       LogSetup logs) {

    private static final String ATTRIBUTE = Services.class.getName();

    /** Whether the application started: its singletons are there (a start-up that failed built none). */
    public static boolean started(ServletContext context) {
        return context.getAttribute(ATTRIBUTE) != null;
    }

    public static Services of(ServletContext context) {
        Services services = (Services) context.getAttribute(ATTRIBUTE);
        if (services == null) {
            throw new IllegalStateException("the application did not start");
        }
        return services;
    }

    void attach(ServletContext context) {
        context.setAttribute(ATTRIBUTE, this);
    }

    static void detach(ServletContext context) {
        context.removeAttribute(ATTRIBUTE);
    }
}
