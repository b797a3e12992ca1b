package org.goctopus.launcher;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;

/**
 * The application's own settings parser, run before Tomcat starts: a bad setting stops the
 * launcher before anything binds, with the lines the application would log, and there is
 * one parser, not a second one here. The parser is the WAR's ({@code WEB-INF/classes} and
 * {@code lib}), loaded apart, as the launcher cannot see the application's classes.
 */
final class SettingsCheck {

    /** What the launcher needs of valid settings. */
    record Checked(String host, int port, String tlsCert, String tlsKey, int authMaxInflight) {
    }

    /** The settings were refused: one line per problem, each naming the setting. */
    static final class Refused extends Exception {
        final List<String> problems;

        Refused(List<String> problems) {
            super(String.join("; ", problems));
            this.problems = problems;
        }
    }

    private SettingsCheck() {
    }

    /** Parses the settings as the application at {@code webapp} will (system properties, environment). */
    static Checked check(Path webapp) throws Refused, IOException, ReflectiveOperationException {
        try (URLClassLoader loader = new URLClassLoader(
                ExecutableWar.classpath(webapp.resolve("WEB-INF/classes"), webapp.resolve("WEB-INF/lib")),
                ClassLoader.getPlatformClassLoader())) {
            Class<?> type = loader.loadClass("org.goctopus.config.Settings");
            Object settings;
            try {
                settings = type.getMethod("loadFromProcess").invoke(null);
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                if (cause.getClass().getName().equals("org.goctopus.config.InvalidSettingsException")) {
                    @SuppressWarnings("unchecked")
                    List<String> problems = (List<String>) cause.getClass().getMethod("problems").invoke(cause);
                    throw new Refused(problems);
                }
                throw e;
            }
            return new Checked((String) type.getMethod("host").invoke(settings),
                    (int) type.getMethod("port").invoke(settings),
                    (String) type.getMethod("tlsCert").invoke(settings),
                    (String) type.getMethod("tlsKey").invoke(settings),
                    (int) type.getMethod("authMaxInflight").invoke(settings));
        }
    }
}
