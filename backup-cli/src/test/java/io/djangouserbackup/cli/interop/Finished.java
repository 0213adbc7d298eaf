package io.djangouserbackup.cli.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A finished external process: what ran, how it ended and what it printed. Scenario steps print
 * {@code fact key=value} lines on stdout, which {@link #fact(String)} reads.
 *
 * @param command  the command line
 * @param exitCode the exit code
 * @param stdout   everything written to standard output
 * @param stderr   everything written to standard error
 * @param took     wall-clock time
 */
record Finished(List<String> command, int exitCode, String stdout, String stderr, Duration took) {

    private static final int SHOWN = 12_000;

    /** The {@code fact} lines, last one wins. */
    Map<String, String> facts() {
        Map<String, String> facts = new LinkedHashMap<>();
        for (String line : stdout.split("\n")) {
            if (line.startsWith("fact ") && line.contains("=")) {
                int eq = line.indexOf('=');
                facts.put(line.substring(5, eq), line.substring(eq + 1));
            }
        }
        return facts;
    }

    /** A fact the step must have printed. */
    String fact(String key) {
        Map<String, String> facts = facts();
        assertThat(facts).as(() -> "fact '" + key + "' from\n" + describe()).containsKey(key);
        return facts.get(key);
    }

    long factLong(String key) {
        return Long.parseLong(fact(key));
    }

    /** Everything needed to see why a step failed, for assertion messages. */
    String describe() {
        return "$ " + String.join(" ", command) + "\nexit code " + exitCode + " after " + took.toMillis() + " ms"
                + "\n--- stdout ---\n" + tail(stdout) + "\n--- stderr ---\n" + tail(stderr);
    }

    private static String tail(String text) {
        return text.length() <= SHOWN ? text : "..." + text.substring(text.length() - SHOWN);
    }
}
