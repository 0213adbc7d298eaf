package io.djangouserbackup.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/** Runs {@link Main#run} in-process with its own streams, environment and terminal, as tests need them. */
final class Cli {
    /** 2026-01-02 03:04:05 UTC: default backup names are {@code user_data_backup_20260102_030405.json}. */
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

    private final Path workingDirectory;
    private final Path tempDirectory;
    private final Map<String, String> variables = new HashMap<>();
    private byte[] stdin = new byte[0];
    private boolean interactive;

    Cli(Path workingDirectory, Path tempDirectory) {
        this.workingDirectory = workingDirectory;
        this.tempDirectory = tempDirectory;
    }

    Cli env(String name, String value) {
        variables.put(name, value);
        return this;
    }

    Cli stdin(byte[] content) {
        stdin = content.clone();
        return this;
    }

    Cli stdin(String content) {
        return stdin(content.getBytes(StandardCharsets.UTF_8));
    }

    /** As if a person were at a terminal: import may ask, and the answer is read from {@link #stdin}. */
    Cli interactive() {
        interactive = true;
        return this;
    }

    Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = Main.run(args, new ByteArrayInputStream(stdin), outStream, errStream,
                    new Env(variables, workingDirectory, tempDirectory, CLOCK), interactive);
        }
        return new Result(code, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    /** What a run left: its exit code, standard output (bytes, for a backup written there) and standard error. */
    record Result(int exitCode, byte[] stdout, String err) {
        String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out() + "\n--- stderr\n" + err;
        }
    }
}
