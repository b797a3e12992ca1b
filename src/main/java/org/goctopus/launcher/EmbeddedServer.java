package org.goctopus.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.WebResourceRoot;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.webresources.DirResourceSet;
import org.apache.catalina.webresources.StandardRoot;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.apache.tomcat.util.scan.StandardJarScanner;

/**
 * The web application in an embedded Tomcat, deployed from a directory laid out
 * like the WAR, exactly as a standalone server deploys it. The launcher and the
 * integration tests both start the service through this class.
 */
public final class EmbeddedServer implements AutoCloseable {

    /**
     * The connector for many long-lived websockets, as in tomcat-conf/conf/server-connector.xml
     * (which explains each): no practical connection cap, small per-socket buffers.
     */
    static final Map<String, String> CONNECTOR = Map.of(
            "maxConnections", "100000",
            "acceptCount", "1000",
            "connectionTimeout", "20000",
            "keepAliveTimeout", "60000",
            "maxKeepAliveRequests", "-1",
            "maxThreads", "32",
            "minSpareThreads", "4",
            "socket.appReadBufSize", "512",
            "socket.appWriteBufSize", "512",
            "socket.directBuffer", "false");

    /**
     * Whether Tomcat's request work (publishes, upgrades, websocket reads and every
     * write's completion) runs on virtual threads: asked with
     * {@code -Dgoctopus.virtualThreads=true}, on Java 21 and later. A completion then
     * costs a task on a carrier already running instead of waking a pooled thread;
     * on this project's benchmark that did not beat the pool on the same JDK beyond
     * the machine's noise, and it raised S2's p99 (bench/README.md), so the
     * pool in {@link #CONNECTOR} is the default.
     */
    public static final boolean VIRTUAL_THREADS = Runtime.version().feature() >= 21
            && Boolean.getBoolean("goctopus.virtualThreads");

    private final Tomcat tomcat;
    /** Tomcat's work directory, this server's own: removed once it stopped. */
    private final Path baseDir;
    private boolean stopped;

    private EmbeddedServer(Tomcat tomcat, Path baseDir) {
        this.tomcat = tomcat;
        this.baseDir = baseDir;
    }

    /** @param docBase the web application root: an exploded WAR, or the source {@code webapp/} */
    public static Builder at(Path docBase) {
        return new Builder(docBase);
    }

    /** What to deploy and where; every option has the launcher's default. */
    public static final class Builder {
        private final Path docBase;
        private String host = "0.0.0.0";
        private int port = 7890;
        private Path classes;
        private String contextPath = "";
        private Path contextFile;
        private TlsFiles tls;
        private final Map<String, String> parameters = new LinkedHashMap<>();

        private Builder(Path docBase) {
            this.docBase = docBase;
        }

        public Builder listen(String host, int port) {
            this.host = host;
            this.port = port;
            return this;
        }

        /** A directory mounted as {@code WEB-INF/classes}, when docBase has none (tests). */
        public Builder classes(Path classes) {
            this.classes = classes;
            return this;
        }

        /** https and wss on the port with these PEM files; null: plain http. */
        Builder tls(TlsFiles tls) {
            this.tls = tls;
            return this;
        }

        /** "" for the root, else "/name". */
        public Builder contextPath(String contextPath) {
            this.contextPath = contextPath;
            return this;
        }

        /** A Tomcat context file ({@code <Context>} with {@code <Parameter>}s), as in conf/Catalina/localhost. */
        public Builder contextFile(Path contextFile) {
            this.contextFile = contextFile;
            return this;
        }

        /** Servlet context parameters, as a context file's {@code <Parameter>}s. */
        public Builder parameters(Map<String, String> parameters) {
            this.parameters.putAll(parameters);
            return this;
        }

        /**
         * Starts Tomcat and deploys the application.
         *
         * @throws IllegalStateException if the application did not start (the cause is in the log)
         */
        public EmbeddedServer start() throws IOException {
            Tomcat tomcat = new Tomcat();
            Path baseDir = Files.createTempDirectory("goctopus-tomcat");
            tomcat.setBaseDir(baseDir.toString());
            Connector connector = new Connector();
            connector.setPort(port);
            connector.setProperty("address", host);
            CONNECTOR.forEach(connector::setProperty);
            connector.setProperty("useVirtualThreads", Boolean.toString(VIRTUAL_THREADS));
            // Bind when the connector starts, after the application did (Tomcat starts its
            // engine first): an application that fails to start never opened the port.
            connector.setProperty("bindOnInit", "false");
            if (tls != null) {
                secure(connector, tls);
            }
            tomcat.setConnector(connector);
            tomcat.getHost().setAutoDeploy(false);
            // No default web.xml: it would add a JSP servlet that cannot load without Jasper.
            tomcat.setAddDefaultWebXmlToWebapp(false);
            Context context = tomcat.addWebapp(contextPath, docBase.toAbsolutePath().toString());
            context.setParentClassLoader(EmbeddedServer.class.getClassLoader());
            tomcat.getEngine().getPipeline().addValve(new StoppingAnswer());
            ((StandardJarScanner) context.getJarScanner()).setScanManifest(false);
            if (contextFile != null) {
                context.setConfigFile(contextFile.toUri().toURL());
            }
            parameters.forEach(context::addParameter);
            if (classes != null) {
                WebResourceRoot resources = new StandardRoot(context);
                resources.addPreResources(new DirResourceSet(resources, "/WEB-INF/classes",
                        classes.toAbsolutePath().toString(), "/"));
                context.setResources(resources);
            }
            EmbeddedServer server = new EmbeddedServer(tomcat, baseDir);
            try {
                tomcat.start();
            } catch (LifecycleException e) {
                server.close();
                throw new IllegalStateException("Tomcat did not start: " + e.getMessage(), e);
            }
            if (context.getState() != LifecycleState.STARTED) {
                // Tomcat keeps running when the application failed: do not serve half a service.
                server.close();
                throw new IllegalStateException("the application failed to start; the log above says why");
            }
            if (connector.getState() != LifecycleState.STARTED) {
                // Nor when its connector could not bind: it would serve nothing.
                server.close();
                throw new IllegalStateException("could not listen on " + host + ":" + port + "; the log above says why");
            }
            return server;
        }
    }

    /** TLS on the connector, from PEM files that Tomcat reads itself (JSSE, no keystore). */
    private static void secure(Connector connector, TlsFiles tls) {
        connector.setScheme("https");
        connector.setSecure(true);
        connector.setProperty("SSLEnabled", "true");
        SSLHostConfig host = new SSLHostConfig();
        SSLHostConfigCertificate certificate = new SSLHostConfigCertificate(host, SSLHostConfigCertificate.Type.UNDEFINED);
        certificate.setCertificateFile(tls.certificate().toAbsolutePath().toString());
        certificate.setCertificateKeyFile(tls.key().toAbsolutePath().toString());
        host.addCertificate(certificate);
        connector.addSslHostConfig(host);
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
    public synchronized void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            tomcat.stop();
            tomcat.destroy();
        } catch (LifecycleException e) {
            throw new IllegalStateException("Tomcat did not stop cleanly", e);
        } finally {
            ExecutableWar.deleteTree(baseDir);
        }
    }
}
