package org.goctopus.api;

import jakarta.ws.rs.core.Application;
import java.util.Set;

/** The backend API's JAX-RS resources, listed rather than scanned so every container sees the same set. */
public final class ApiApplication extends Application {

    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(MessagesResource.class, OperationsResource.class,
                ErrorMappers.Api.class, ErrorMappers.Jaxrs.class, ErrorMappers.Unexpected.class,
                AnswersBeforeShutdown.class);
    }
}
