package org.goctopus.deploy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where {@link org.goctopus.support.TestServer} runs the service, chosen for a whole test JVM
 * by {@code -Dgoctopus.container}: the build runs the websocket and API suites on the
 * embedded runner, then again on each standalone container, so that every behaviour they
 * prove is proven where operations teams deploy the WAR. Each server a test starts is a
 * container of its own, set up by the README's recipe, with the test's settings alone in its
 * environment.
 */
public enum Container {
    EMBEDDED {
        @Override
        public Deployment deploy(Map<String, String> settings) throws Exception {
            return new EmbeddedDeployment(settings);
        }
    },
    TOMCAT10 {
        @Override
        public Deployment deploy(Map<String, String> settings) throws Exception {
            return StandaloneTomcat.startWithOnly(Path.of(System.getProperty("tomcat10.zip")), quickBooting(settings));
        }
    },
    TOMCAT11 {
        @Override
        public Deployment deploy(Map<String, String> settings) throws Exception {
            return StandaloneTomcat.startWithOnly(Path.of(System.getProperty("tomcat11.zip")), quickBooting(settings));
        }
    },
    PAYARA {
        @Override
        public Deployment deploy(Map<String, String> settings) throws Exception {
            return PayaraMicro.startWithOnly(Path.of(System.getProperty("payara.micro.jar")), quickBooting(settings));
        }

        @Override
        public boolean hasPermessageDeflate() {
            return false; // Tyrus ships it as an extension module that Payara does not include
        }

        @Override
        public boolean refusesUnmaskedFrames() {
            return false;
        }
    };

    /** The service at the root context, with these settings (as context parameters or the environment). */
    public abstract Deployment deploy(Map<String, String> settings) throws Exception;

    /** Whether the container negotiates permessage-deflate (WS_COMPRESS), as Tomcat does. */
    public boolean hasPermessageDeflate() {
        return true;
    }

    /**
     * Whether a client frame without a mask is closed as a protocol error (1002), as RFC 6455
     * §5.1 asks: Tomcat does; Tyrus reads it as any other frame.
     */
    public boolean refusesUnmaskedFrames() {
        return true;
    }

    /**
     * The suites boot a container for each server a test starts, and each lives a minute at
     * most: the C2 compiler's work never pays back on two cores, and it competes with the
     * tests for them. With C1 alone Payara Micro is ready in 12 s instead of 20 here, and the
     * Tomcat 10.1 suite took 2:27 instead of 2:53. It changes when code gets compiled, not
     * what it does.
     */
    private static Map<String, String> quickBooting(Map<String, String> settings) {
        Map<String, String> environment = new HashMap<>(settings);
        environment.put("JAVA_TOOL_OPTIONS", "-XX:TieredStopAtLevel=1");
        return environment;
    }

    public static Container selected() {
        return valueOf(System.getProperty("goctopus.container", "embedded").toUpperCase(Locale.ROOT));
    }
}
