package org.goctopus.launcher;

import jakarta.servlet.ServletException;
import java.io.IOException;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;

/**
 * A 503 for a request that reaches the server after the application left it, in the
 * engine's pipeline. Tomcat stops its engine, which takes the host and the application
 * off its map of addresses at once, before it stops the connector: a request read just
 * before the stop began then found nothing to go to and got an empty 404, which a backend
 * may take for a wrong address instead of a cue to try again.
 */
final class StoppingAnswer extends ValveBase {

    StoppingAnswer() {
        super(true);
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        if (request.getContext() == null && getContainer().getState() != LifecycleState.STARTED) {
            response.setStatus(503);
            response.setHeader("Retry-After", "1");
            response.setContentType("application/json");
            response.getWriter().write("{\"error\":\"the service is stopping\"}");
            return;
        }
        getNext().invoke(request, response);
    }
}
