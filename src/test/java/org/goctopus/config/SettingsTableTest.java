package org.goctopus.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's settings table is the code's list of settings, defaults, meanings and examples: it cannot drift. */
class SettingsTableTest {

    private static final Pattern ROW =
            Pattern.compile("^\\| `(WS_[A-Z_]+)` \\| (?:`([^`]*)`)? ?\\| (.*) \\| `([^`]*)` \\|$");

    @Test
    void readmeSettingsTableMatchesTheCode() throws Exception {
        Map<String, String> readme = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("README.md"))) {
            Matcher m = ROW.matcher(line);
            if (m.matches()) {
                readme.put(m.group(1), (m.group(2) == null ? "" : m.group(2)) + " | " + m.group(3) + " | " + m.group(4));
            }
        }
        Map<String, String> code = new LinkedHashMap<>();
        for (Setting s : Setting.values()) {
            code.put(s.name(), s.defaultValue() + " | " + s.meaning() + " | " + s.example());
        }
        assertEquals(code, readme);
    }

    @Test
    void everyExampleIsAValidValue() {
        for (Setting s : Setting.values()) {
            if (s == Setting.WS_STORAGE || s == Setting.WS_AUTH_URL) {
                continue; // checked with other settings: an auth URL needs the proxy authorizer
            }
            Settings.parse(name -> name.equals(s.name()) ? s.example()
                    : name.equals("WS_AUTHORIZER") ? "dummy" : name.equals("WS_AUTH_URL") ? "k" : null);
        }
    }
}
