package org.goctopus.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.WebResourceRoot;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.webresources.DirResourceSet;
import org.apache.catalina.webresources.StandardRoot;
import org.apache.tomcat.util.scan.StandardJarScanner;

/**
 * The web application in an embedded Tomcat, deployed from a directory laid out
 * like the WAR, exactly as a standalone server deploys it. The launcher and the
 * integration tests both start the service through this class.
 */
public final class EmbeddedServer implements AutoCloseable {

    private final Tomcat tomcat;
    private final Context context;

    private EmbeddedServer(Tomcat tomcat, Context context) {
        this.tomcat = tomcat;
        this.context = context;
    }

    /**
     * Starts Tomcat and deploys the application.
     *
     * @param docBase       the web application root (an exploded WAR, or the source {@code webapp/})
     * @param classes       a directory mounted as {@code WEB-INF/classes}, or null when docBase has them
     * @param contextPath   "" for the root
     * @param parameters    servlet context parameters, as a context file's {@code <Parameter>}s
     * @throws IllegalStateException if the application did not start (the cause is in the log)
     */
    public static EmbeddedServer start(String host, int port, Path docBase, Path classes, String contextPath,
                                       Map<String, String> parameters) throws LifecycleException, IOException {
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createTempDirectory("goctopus-tomcat").toString());
        Connector connector = new Connector();
        connector.setPort(port);
        connector.setProperty("address", host);
        tomcat.setConnector(connector);
        tomcat.getHost().setAutoDeploy(false);
        // No default web.xml: it would add a JSP servlet that cannot load without Jasper.
        tomcat.setAddDefaultWebXmlToWebapp(false);
        Context context = tomcat.addWebapp(contextPath, docBase.toAbsolutePath().toString());
        context.setParentClassLoader(EmbeddedServer.class.getClassLoader());
        ((StandardJarScanner) context.getJarScanner()).setScanManifest(false);
        parameters.forEach(context::addParameter);
        if (classes != null) {
            WebResourceRoot resources = new StandardRoot(context);
            resources.addPreResources(new DirResourceSet(resources, "/WEB-INF/classes",
                    classes.toAbsolutePath().toString(), "/"));
            context.setResources(resources);
        }
        tomcat.start();
        EmbeddedServer server = new EmbeddedServer(tomcat, context);
        if (context.getState() != LifecycleState.STARTED) {
            // Tomcat keeps running when the application failed: do not serve half a service.
            server.close();
            throw new IllegalStateException("the application failed to start; the log above says why");
        }
        return server;
    }

    /** The port actually bound (useful when 0 was asked for). */
    public int port() {
        return tomcat.getConnector().getLocalPort();
    }

    /** Blocks until the server stops. */
    public void await() {
        tomcat.getServer().await();
    }

    /** Undeploys the application (every socket closed with 1001) and stops Tomcat. */
    @Override
    public void close() {
        try {
            tomcat.stop();
            tomcat.destroy();
        } catch (LifecycleException e) {
            throw new IllegalStateException("Tomcat did not stop cleanly", e);
        }
    }

    Context context() {
        return context;
    }
}
