package org.goctopus.config;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.websocket.server.ServerContainer;
import java.net.URI;
import java.util.Arrays;
import java.util.logging.Logger;
import org.goctopus.api.Replies;
import org.goctopus.auth.Authorizer;
import org.goctopus.auth.CachingAuthorizer;
import org.goctopus.auth.DummyAuthorizer;
import org.goctopus.auth.ProxyAuthorizer;
import org.goctopus.auth.RecentRefusals;
import org.goctopus.core.Hub;
import org.goctopus.engine.Storage;
import org.goctopus.limit.RateLimiter;
import org.goctopus.log.Log;
import org.goctopus.log.LogSetup;
import org.goctopus.metrics.Metrics;

/**
 * Builds the deployment's singletons when the application starts and closes them
 * when it stops: every socket closed with 1001, background threads stopped. A bad
 * setting stops the deployment with one log line per problem.
 */
public final class Lifecycle implements ServletContextListener {

    private static final Logger LOG = Logger.getLogger(Lifecycle.class.getName());
    private static final int INBOUND_BUFFER = 64;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        Settings settings;
        try {
            settings = Settings.load(context::getInitParameter);
        } catch (InvalidSettingsException e) {
            e.problems().forEach(problem -> LOG.severe("configuration: " + problem));
            throw e;
        }
        LogSetup logs = new LogSetup(settings.verbose(), settings.logFormat().equals("json"));
        int preloaded = StopPathClasses.load(context);
        smallInboundBuffers(context);
        warnWithoutDeflate(settings, context);
        Metrics metrics = new Metrics();
        Storage storage = storage(settings, metrics);
        Hub hub = new Hub(settings, storage.engine(), storage.presence(), metrics);
        new Services(settings, hub, storage, new Replies(), authorizer(settings),
                new RateLimiter(settings.rateLimit(), settings.rateBurst()), new RecentRefusals(), metrics, logs)
                .attach(context);
        Log.debug(LOG, "classes loaded for the stop path", "count", preloaded);
        Log.info(LOG, "started", "authorizer", settings.authorizer(), "storage", settings.storage(),
                "api", settings.apiCredentialsConfigured() ? "basic auth" : settings.insecureNoAuth()
                        ? "WITHOUT CREDENTIALS (WS_INSECURE_NO_AUTH)" : "closed: WS_LOGIN/WS_PASSWORD unset");
    }

    /**
     * Containers allocate each socket's inbound message buffers up front at these sizes
     * (Tomcat: 8192 chars of text, 2 bytes each, and 8192 bytes of binary). Inbound
     * frames are ACKs of 46 characters, which fit in one part; the endpoint reads
     * larger frames in parts (Tomcat's frame input buffer is separate), so small
     * buffers save memory at tens of thousands of sockets while WS_MAX_MESSAGE_SIZE
     * is still enforced by the endpoint.
     */
    private static void smallInboundBuffers(ServletContext context) {
        if (context.getAttribute(ServerContainer.class.getName()) instanceof ServerContainer container) {
            container.setDefaultMaxTextMessageBufferSize(INBOUND_BUFFER);
            container.setDefaultMaxBinaryMessageBufferSize(INBOUND_BUFFER);
        }
    }

    /**
     * WS_COMPRESS lets the container negotiate the permessage-deflate it has installed:
     * Tomcat has one, Tyrus (Payara) none, where every handshake then answers without it.
     */
    private static void warnWithoutDeflate(Settings settings, ServletContext context) {
        if (settings.compress() && context.getAttribute(ServerContainer.class.getName()) instanceof ServerContainer c
                && c.getInstalledExtensions().stream().noneMatch(e -> e.getName().equals("permessage-deflate"))) {
            Log.warn(LOG, null, "WS_COMPRESS=true, but this container has no permessage-deflate: frames go "
                    + "uncompressed", "container", context.getServerInfo());
        }
    }

    private static Storage storage(Settings settings, Metrics metrics) {
        if (settings.storage().equals(Settings.STORAGE_REDIS)) {
            return Storage.redis(settings.redisUrl(), settings.redisPrefix(), settings.redisMinReplicas(),
                    settings.historySize(), settings.historyTtl(), settings.maxQueuedBytes(), metrics);
        }
        return Storage.memory(settings.historySize(), settings.historyTtl(), settings.maxQueuedBytes());
    }

    private static Authorizer authorizer(Settings settings) {
        if (settings.authorizer().equals(Settings.AUTHORIZER_DUMMY)) {
            Log.warn(LOG, null, "WS_AUTHORIZER=dummy: every connection is accepted (development only)");
            return new DummyAuthorizer(Arrays.stream(settings.authUrl().split(","))
                    .map(String::trim).filter(k -> !k.isEmpty()).toList());
        }
        Authorizer proxy = new ProxyAuthorizer(URI.create(settings.authUrl()), settings.authTimeout(),
                settings.authKeys(), settings.authMaxInflight());
        return settings.authCacheTtl().isZero() ? proxy : new CachingAuthorizer(proxy, settings.authCacheTtl());
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        if (!Services.started(context)) {
            return; // start-up failed: nothing was built
        }
        Services services = Services.of(context);
        Services.detach(context);
        services.hub().close();
        services.storage().close();
        services.replies().close();
        services.authorizer().close();
        Log.info(LOG, "stopped");
        services.logs().close();
    }
}
