package org.goctopus.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The README's fenced code blocks, each with the marker on the line above it: {@code <!--
 * readme: run NAME -->} for a block a test runs as written, {@code <!-- readme: not run,
 * WHY -->} for one that cannot run here. A test takes a block by name, with the
 * substitutions it declares (each must occur in the block, so that a README edit cannot
 * silently change what runs).
 *
 * <p>In a block that is run, the output a command prints is written below it as whole-line
 * {@code # } comments (shell), or as a trailing {@code # } comment on a {@code print} line
 * (Python): {@link #expectedOutput} reads them, and {@link #matches} compares, a UUID there
 * standing for any UUID and {@code …} for any text.
 */
public final class Readme {

    /** One fenced block: where it starts, its language, its marker (null: none) and its text. */
    public record Block(int line, String language, String marker, String text) {
    }

    private static final Pattern MARKER = Pattern.compile("^<!-- readme: (.+?) -->$");
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private Readme() {
    }

    public static List<Block> blocks() {
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("README.md"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (!line.startsWith("```")) {
                continue;
            }
            String language = line.substring(3).trim();
            Matcher marker = i > 0 ? MARKER.matcher(lines.get(i - 1)) : MARKER.matcher("");
            StringBuilder text = new StringBuilder();
            int start = i + 1;
            for (i = start; i < lines.size() && !lines.get(i).startsWith("```"); i++) {
                text.append(lines.get(i)).append('\n');
            }
            blocks.add(new Block(start, language, marker.matches() ? marker.group(1) : null, text.toString()));
        }
        return blocks;
    }

    /** The text of the block marked {@code run name}, each key of {@code substitutions} replaced. */
    public static String run(String name, Map<String, String> substitutions) {
        String text = blocks().stream().filter(b -> ("run " + name).equals(b.marker())).findFirst()
                .orElseThrow(() -> new AssertionError("README.md has no block marked <!-- readme: run " + name + " -->"))
                .text();
        for (Map.Entry<String, String> substitution : substitutions.entrySet()) {
            if (!text.contains(substitution.getKey())) {
                throw new AssertionError("the README block \"" + name + "\" no longer contains \""
                        + substitution.getKey() + "\", which its test replaces:\n" + text);
            }
            text = text.replace(substitution.getKey(), substitution.getValue());
        }
        return text;
    }

    public static String run(String name) {
        return run(name, Map.of());
    }

    /** The output a block documents, line by line (see the class comment). */
    public static List<String> expectedOutput(String block) {
        List<String> expected = new ArrayList<>();
        boolean afterCommand = false;
        for (String line : block.split("\n")) {
            String trimmed = line.trim();
            int trailing = line.indexOf(")   # ");
            if (trimmed.startsWith("print(") && trailing > 0) {
                expected.add(line.substring(trailing + 6).trim());
            } else if (trimmed.startsWith("# ") && afterCommand) {
                expected.add(trimmed.substring(2));
                continue;
            }
            afterCommand = !trimmed.isEmpty() && !trimmed.startsWith("#");
        }
        return expected;
    }

    /** Whether {@code actual} is what {@code documented} shows (a UUID: any UUID; …: anything). */
    public static boolean matches(String documented, String actual) {
        StringBuilder regex = new StringBuilder();
        Matcher uuid = UUID.matcher(documented);
        int from = 0;
        while (uuid.find()) {
            regex.append(literal(documented.substring(from, uuid.start()))).append(UUID.pattern());
            from = uuid.end();
        }
        regex.append(literal(documented.substring(from)));
        return actual.trim().matches(regex.toString());
    }

    private static String literal(String text) {
        StringBuilder regex = new StringBuilder();
        String[] parts = text.split("…", -1);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                regex.append(".*?");
            }
            regex.append(Pattern.quote(parts[i]));
        }
        return regex.toString();
    }
}
