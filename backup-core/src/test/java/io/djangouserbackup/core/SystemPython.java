package io.djangouserbackup.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a Python script with Debian's {@code /usr/bin/python3} (the one with Django 3.2), for tests Django judges. */
public final class SystemPython {
    private SystemPython() {
    }

    /**
     * Writes the script into the folder, runs it with the arguments and returns its standard output; fails the test
     * when it does not exit 0 within two minutes, with its standard error.
     */
    public static String run(Path dir, String script, String... args) throws IOException, InterruptedException {
        Path code = Files.createTempFile(dir, "script", ".py");
        Files.writeString(code, script);
        List<String> command = new ArrayList<>(List.of("/usr/bin/python3", code.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("DJANGO_SETTINGS_MODULE");
        builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        builder.redirectError(err.toFile());
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as("python failed: %s", Files.readString(err)).isZero();
        return out;
    }
}
