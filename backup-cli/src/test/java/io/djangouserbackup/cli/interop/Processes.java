package io.djangouserbackup.cli.interop;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Runs a command as a separate process with a timeout, collecting its output. */
final class Processes {
    private Processes() {
    }

    /**
     * Runs the command in {@code dir} with the given environment changes ({@code null} value: removed) and an
     * empty standard input. A process that outlives the timeout is killed, with its children, and fails the test.
     */
    static Finished run(List<String> command, Map<String, String> env, Path dir, Duration timeout) {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("interop-", ".stdout");
            err = Files.createTempFile("interop-", ".stderr");
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            env.forEach((key, value) -> {
                if (value == null) {
                    builder.environment().remove(key);
                } else {
                    builder.environment().put(key, value);
                }
            });
            long start = System.nanoTime();
            Process process = builder.start();
            process.getOutputStream().close();
            boolean ended = process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            if (!ended) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor();
            }
            Finished finished = new Finished(List.copyOf(command), ended ? process.exitValue() : -1,
                    Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8),
                    Duration.ofNanos(System.nanoTime() - start));
            if (!ended) {
                fail("killed after " + timeout.toSeconds() + " s:\n" + finished.describe());
            }
            return finished;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command, e);
        } finally {
            delete(out);
            delete(err);
        }
    }

    private static void delete(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // A leftover temporary file is not worth failing a test over.
            }
        }
    }
}
