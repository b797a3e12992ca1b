package org.goctopus.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A request read by the connector after the engine stopped (Tomcat stops it, and with it
 * the application, before the connector) gets a 503 to retry on, not Tomcat's empty 404.
 */
@Timeout(30)
class StoppingAnswerTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aRequestThatFindsTheApplicationStoppedIsAnswered503() throws Exception {
        Path base = Files.createTempDirectory("stopping-answer");
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.setConnector(connector);
        Context application = tomcat.addContext("/app", base.toString());
        Tomcat.addServlet(application, "ok", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) {
                response.setStatus(200);
            }
        });
        application.addServletMappingDecoded("/*", "ok");
        tomcat.getEngine().getPipeline().addValve(new StoppingAnswer());
        tomcat.start();
        try {
            assertEquals(200, get(tomcat, "/app/x").statusCode());
            assertEquals(404, get(tomcat, "/elsewhere").statusCode(), "no application there: a 404 while it runs");
            tomcat.getEngine().stop(); // as Tomcat's own stop does, before it stops the connector
            HttpResponse<String> late = get(tomcat, "/app/x");
            assertEquals(503, late.statusCode());
            assertEquals("1", late.headers().firstValue("Retry-After").orElse(null));
            assertEquals("{\"error\":\"the service is stopping\"}", late.body());
        } finally {
            tomcat.stop();
            tomcat.destroy();
        }
    }

    private static HttpResponse<String> get(Tomcat tomcat, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + tomcat.getConnector().getLocalPort()
                + path)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
