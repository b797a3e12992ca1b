package org.goctopus.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The WAR on a standalone Tomcat unpacked from Maven Central's distribution, set
 * up the way the README tells an ops team to: the connector of
 * {@code tomcat-conf/conf/server-connector.xml} in server.xml, {@code tomcat-conf/bin/setenv.sh},
 * the context file
 * of {@code tomcat-conf/conf/Catalina/localhost/ROOT.xml} (renamed after the
 * context path), the WAR in webapps. Settings come from the environment, which
 * wins over the context file's parameters.
 */
final class StandaloneTomcat {

    private StandaloneTomcat() {
    }

    /**
     * @param home        an unpacked {@code org.apache.tomcat:tomcat:<v>:zip} (CATALINA_HOME)
     * @param contextPath "" for ROOT, else "/name"
     * @param settings    the environment: WS_* settings, and JAVA_HOME to run another JVM than the build's
     */
    static ServerProcess start(Path home, String contextPath, Map<String, String> settings) throws IOException {
        Path base = Files.createTempDirectory("catalina-base");
        for (String dir : List.of("conf/Catalina/localhost", "webapps", "logs", "temp", "work")) {
            Files.createDirectories(base.resolve(dir));
        }
        try (Stream<Path> conf = Files.list(home.resolve("conf"))) {
            for (Path file : conf.filter(Files::isRegularFile).toList()) {
                Files.copy(file, base.resolve("conf").resolve(file.getFileName()));
            }
        }
        int port = ServerProcess.freePort();
        String connector = Files.readString(Path.of("tomcat-conf/conf/server-connector.xml"))
                .replace("port=\"8080\"", "port=\"" + port + "\"")
                .replace("address=\"0.0.0.0\"", "address=\"127.0.0.1\"");
        Path serverXml = base.resolve("conf/server.xml");
        String server = Files.readString(serverXml)
                .replace("<Server port=\"8005\"", "<Server port=\"-1\"")
                .replaceFirst("(?s)<Connector port=\"8080\".*?/>", java.util.regex.Matcher.quoteReplacement(connector));
        if (!server.contains("port=\"" + port + "\"")) {
            throw new IllegalStateException("the default connector was not found in " + serverXml);
        }
        Files.writeString(serverXml, server);
        String name = contextPath.isEmpty() ? "ROOT" : contextPath.substring(1);
        Files.copy(Path.of("tomcat-conf/conf/Catalina/localhost/ROOT.xml"),
                base.resolve("conf/Catalina/localhost/" + name + ".xml"));
        Files.copy(Path.of("target/goctopus.war"), base.resolve("webapps/" + name + ".war"),
                StandardCopyOption.REPLACE_EXISTING);
        Files.createDirectories(base.resolve("bin"));
        Files.copy(Path.of("tomcat-conf/bin/setenv.sh"), base.resolve("bin/setenv.sh"));
        Path catalina = home.resolve("bin/catalina.sh");
        try (Stream<Path> scripts = Files.list(home.resolve("bin"))) {
            scripts.filter(p -> p.toString().endsWith(".sh")).forEach(p -> p.toFile().setExecutable(true));
        }
        Map<String, String> environment = new HashMap<>(settings);
        environment.put("CATALINA_HOME", home.toString());
        environment.put("CATALINA_BASE", base.toString());
        environment.putIfAbsent("JAVA_HOME", System.getProperty("java.home")); // settings may choose the JVM
        environment.put("CATALINA_PID", base.resolve("tomcat.pid").toString());
        return ServerProcess.start(List.of(catalina.toString(), "run"), base, environment, port, contextPath,
                Duration.ofSeconds(60));
    }
}
