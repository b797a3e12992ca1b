package org.goctopus.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.goctopus.launcher.ExecutableWar;
import org.goctopus.support.Readme;

/**
 * The WAR on a standalone Tomcat freshly unzipped from Maven Central's distribution, set up
 * by the README's recipe (the block {@code tomcat}: {@code tomcat-conf/install.sh}, then
 * {@code catalina.sh run}) run as written, nothing prepared beforehand. What the recipe
 * leaves to the environment comes from it: CATALINA_BASE, the connector's PORT and ADDRESS,
 * SHUTDOWN_PORT=-1 (tests never use Tomcat's shutdown port), and the settings, which win over
 * the context file's.
 */
final class StandaloneTomcat {

    private StandaloneTomcat() {
    }

    /**
     * @param zip         {@code org.apache.tomcat:tomcat:<v>:zip}
     * @param contextPath "" for ROOT, else "/name" (the recipe's documented variant)
     * @param settings    the environment: WS_* settings, and JAVA_HOME to run another JVM than the build's
     */
    static ServerProcess start(Path zip, String contextPath, Map<String, String> settings) throws IOException {
        return start(zip, contextPath, settings, contextPath.isEmpty() ? Map.of()
                : Map.of("tomcat-conf/install.sh \"$CATALINA_BASE\" ", "tomcat-conf/install.sh \"$CATALINA_BASE\" "
                        + contextPath + " "));
    }

    /**
     * At the root context with {@code settings} alone: the recipe without its example values
     * (the context file's parameters, the password it exports), so that every setting a test
     * leaves out has its default, as on the embedded runner.
     */
    static ServerProcess startWithOnly(Path zip, Map<String, String> settings) throws IOException {
        return start(zip, "", settings, Map.of(
                "export WS_PASSWORD=change-me", ":",
                "\"$CATALINA_BASE/bin/catalina.sh\" run", "sed -i '/<Parameter /d' "
                        + "\"$CATALINA_BASE/conf/Catalina/localhost/ROOT.xml\" && \"$CATALINA_BASE/bin/catalina.sh\" run"));
    }

    private static ServerProcess start(Path zip, String contextPath, Map<String, String> settings,
                                       Map<String, String> substitutions) throws IOException {
        Path unzipped = Files.createTempDirectory("tomcat");
        ExecutableWar.unzip(zip, unzipped);
        Path base;
        try (Stream<Path> top = Files.list(unzipped)) {
            base = top.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        String recipe = Readme.run("tomcat", substitutions);
        int port = ServerProcess.freePort();
        Map<String, String> environment = new HashMap<>(settings);
        environment.put("CATALINA_BASE", base.toString());
        environment.put("PORT", Integer.toString(port));
        environment.put("ADDRESS", "127.0.0.1");
        environment.put("SHUTDOWN_PORT", "-1");
        environment.putIfAbsent("JAVA_HOME", System.getProperty("java.home")); // settings may choose the JVM
        environment.put("CATALINA_PID", base.resolve("tomcat.pid").toString());
        return ServerProcess.start(List.of("bash", "-c", recipe), Path.of("").toAbsolutePath(), base, environment,
                port, contextPath, Duration.ofSeconds(60));
    }
}
