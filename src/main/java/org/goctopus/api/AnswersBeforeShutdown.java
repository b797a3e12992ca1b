package org.goctopus.api;

import jakarta.servlet.ServletContext;
import jakarta.ws.rs.core.Context;
import java.time.Duration;
import java.util.logging.Logger;
import org.glassfish.jersey.server.spi.Container;
import org.glassfish.jersey.server.spi.ContainerLifecycleListener;
import org.goctopus.config.Services;
import org.goctopus.log.Log;

/**
 * When the application stops, the API stops taking publishes and answers the requests
 * still waiting on the store before its servlet is destroyed. A container destroys its
 * servlets before it tells the application's listeners that it stops (where the hub and
 * the store are closed); an answer that came after the servlet was gone was left to the
 * container, which wrote a 500 on its way out.
 */
public final class AnswersBeforeShutdown implements ContainerLifecycleListener {

    private static final Logger LOG = Logger.getLogger(AnswersBeforeShutdown.class.getName());

    /**
     * A request waits on the store at most one command timeout for its turn and one for
     * the answer (2 s each on Redis): past this, the store is stuck and the stop goes on.
     */
    private static final Duration BOUND = Duration.ofSeconds(6);

    @Context
    private ServletContext context;

    @Override
    public void onStartup(Container container) {
    }

    @Override
    public void onReload(Container container) {
    }

    @Override
    public void onShutdown(Container container) {
        if (!Services.started(context)) {
            return; // start-up failed: nothing was built
        }
        Services services = Services.of(context);
        services.hub().stopTaking();
        try {
            if (!services.replies().awaitAnswered(BOUND)) {
                Log.warn(LOG, null, "stopping with requests unanswered: the store did not answer them in time",
                        "bound", BOUND);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
