package io.djangouserbackup.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * What the command takes from its surroundings besides its arguments and streams, so tests can give their own.
 *
 * @param variables        environment variables ({@code DATABASE_URL})
 * @param workingDirectory the folder relative paths start from
 * @param tempDirectory    where standard input is spooled for an import
 * @param clock            the time zone and clock that name a default backup file
 */
public record Env(Map<String, String> variables, Path workingDirectory, Path tempDirectory, Clock clock) {

    public Env {
        variables = Map.copyOf(variables);
        workingDirectory = workingDirectory.toAbsolutePath();
        tempDirectory = tempDirectory.toAbsolutePath();
        Objects.requireNonNull(clock, "clock");
    }

    /** The process's environment, working directory, {@code java.io.tmpdir} and local time. */
    public static Env system() {
        return new Env(System.getenv(), Path.of(""), Path.of(System.getProperty("java.io.tmpdir")),
                Clock.systemDefaultZone());
    }

    /** An environment variable, or {@code null}. */
    public String variable(String name) {
        return variables.get(name);
    }

    /** A path from the command line, resolved against the working directory. */
    Path resolve(String path) {
        return workingDirectory.resolve(path);
    }
}
