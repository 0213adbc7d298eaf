package io.djangouserbackup.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: real Django keeps creating and updating users (interop/scenarios/concurrent_writer.py) while backups are
 * taken and one is restored. Every export succeeds and holds one committed state (the writer's invariant holds in
 * it: no user without its group, no update without the insert it came with); the import either waits for the
 * writer's lock or fails with the one "locked" line; and every user the writer committed is there afterwards.
 */
abstract class ConcurrentWriters14Test {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** The database the writer and the tool share. */
    abstract DjangoDatabase database();

    /** Django's settings for it ({@code DJANGO_DB_PATH} or {@code DJANGO_DB_URL}). */
    abstract Map<String, String> djangoEnv();

    @Test
    void exportsStayConsistentAndNoCommittedWriteIsLost() throws Exception {
        Path stop = dir.resolve("stop");
        ProcessBuilder builder = new ProcessBuilder("/usr/bin/python3",
                DatabaseServer.djangoProject().resolveSibling("scenarios").resolve("concurrent_writer.py").toString(), stop.toString())
                .redirectErrorStream(true);
        builder.environment().remove("DJANGO_DB_PATH");
        builder.environment().remove("DJANGO_DB_URL");
        builder.environment().remove("DJANGO_USER_VARIANT");
        builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        builder.environment().putAll(djangoEnv());
        Process writer = builder.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(dir.resolve("stop.started"))) {
            assertThat(writer.isAlive()).as("the writer started").isTrue();
            assertThat(System.nanoTime()).as("the writer started within a minute").isLessThan(deadline);
            Thread.sleep(20);
        }

        List<Integer> seen = new ArrayList<>();
        String importOutcome;
        try {
            for (int i = 0; i < 6; i++) {
                seen.add(assertOneCommittedState(ServerRoundTripTest.export(database())));
            }
            importOutcome = importWhileWriting();
        } finally {
            Files.writeString(stop, "stop");
        }
        String output = new String(writer.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(writer.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(writer.exitValue()).as(output).isZero();
        int committed = Integer.parseInt(output.substring(output.lastIndexOf("committed ") + "committed ".length()).trim());

        String after = ServerRoundTripTest.export(database());
        assertThat(assertOneCommittedState(after)).as("every user the writer committed is there").isEqualTo(committed);
        assertThat(seen).as("the writer was writing while the backups were taken").isNotEmpty();
        assertThat(committed).isGreaterThan(seen.get(0));
        if (importOutcome.equals("imported")) {
            assertThat(after).contains("\"username\":\"restored-1\"", "\"username\":\"restored-2\"");
        } else {
            // Waited too long for the writer's lock, or the writer took an id this import would have inserted (MySQL
            // hands out ids past the ones an import inserts): refused, never overwritten.
            assertThat(importOutcome).containsAnyOf("the database is locked by another connection",
                    "a row with the same key appeared in the target after the backup was checked against it");
        }
    }

    /** Restores two users (ids far from the writer's) while the writer writes: done, or the locked line. */
    private String importWhileWriting() {
        Path source = TestDatabases.create(dir, "restore.sqlite3", TestDatabases.AUTH_USER);
        TestDatabases.insertUser(source, 1_000_001, "restored-1", "pbkdf2_sha256$1$a$b");
        TestDatabases.insertUser(source, 1_000_002, "restored-2", "pbkdf2_sha256$1$c$d");
        try {
            ServerRoundTripTest.importInto(database(), ServerRoundTripTest.export(DjangoDatabase.sqlite(source)), ImportMode.MERGE);
            return "imported";
        } catch (DatabaseAccessException e) {
            return e.getMessage();
        }
    }

    /**
     * Checks that a backup holds one state the writer committed: writers 0 to k, each in "writers", each but the last
     * with last_name str(index + 1), the last with ""; returns k + 1.
     */
    private static int assertOneCommittedState(String backup) throws Exception {
        List<JsonNode> writers = new ArrayList<>();
        for (JsonNode user : JSON.readTree(backup).get("users")) {
            if (user.get("username").asText().startsWith("writer-")) {
                writers.add(user);
            }
        }
        writers.sort(java.util.Comparator.comparingInt(u -> Integer.parseInt(u.get("username").asText().substring(7))));
        for (int i = 0; i < writers.size(); i++) {
            JsonNode user = writers.get(i);
            assertThat(user.get("username").asText()).isEqualTo("writer-" + i);
            assertThat(user.get("groups").toString()).as("writer-%d's group", i).isEqualTo("[\"writers\"]");
            assertThat(user.get("last_name").asText()).as("writer-%d's last_name", i)
                    .isEqualTo(i == writers.size() - 1 ? "" : String.valueOf(i + 1));
        }
        return writers.size();
    }
}
