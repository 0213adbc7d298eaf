package io.djangouserbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.djangouserbackup.core.TestDatabases;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Django databases with a few users, and assertions every command test uses. */
final class Fixtures {
    /** A password hash as Django stores it; no output of the tool may show it. */
    static final String ALICE_HASH = "pbkdf2_sha256$260000$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA=";
    static final String BOB_HASH = "pbkdf2_sha256$260000$b3RoZXJzYWx0$b3RoZXJoYXNob3RoZXI=";

    private Fixtures() {
    }

    /** A migrated Django database (auth.User) with alice and bob, two groups and an OpenAI model. */
    static Path djangoDatabase(Path folder, String name) {
        Path db = TestDatabases.create(folder, name, TestDatabases.AUTH_USER);
        TestDatabases.insertUser(db, 1, "alice", ALICE_HASH);
        TestDatabases.insertUser(db, 2, "bob", BOB_HASH);
        TestDatabases.addToGroup(db, 1, "admins");
        TestDatabases.addToGroup(db, 2, "editors");
        TestDatabases.grantGroup(db, "editors", "view_user");
        TestDatabases.grant(db, 2, "change_user");
        TestDatabases.insertModel(db, 1, "gpt-4o", 0.7, 1, 2);
        return db;
    }

    /** A migrated Django database with no users. */
    static Path emptyDjangoDatabase(Path folder, String name) {
        return TestDatabases.create(folder, name, TestDatabases.AUTH_USER);
    }

    /** A regular expression for {@code "username": "alice"} however the JSON is spaced. */
    static String usernameField(String username) {
        return "\"username\"\\s*:\\s*\"" + Pattern.quote(username) + "\"";
    }

    /** Whether a backup holds a user of that name, however the JSON is spaced. */
    static boolean holdsUser(String json, String username) {
        return Pattern.compile(usernameField(username)).matcher(json).find();
    }

    static long users(Path db) {
        return TestDatabases.queryLong(db, "SELECT COUNT(*) FROM auth_user");
    }

    static void assertExit(Cli.Result result, int expected) {
        assertThat(result.exitCode()).as("%s", result).isEqualTo(expected);
    }

    /** No password hash on stderr, and none on stdout unless a backup was written there. */
    static void assertNoSecrets(Cli.Result result) {
        assertThat(result.err()).doesNotContain("pbkdf2_sha256").doesNotContain("c2FsdHNhbHQ");
        assertThat(result.out()).doesNotContain("pbkdf2_sha256").doesNotContain("c2FsdHNhbHQ");
    }

    static void assertOneErrorLine(Cli.Result result, String containing) {
        assertThat(result.err().lines().toList()).as("%s", result).hasSize(1);
        assertThat(result.err()).startsWith("django-user-backup: ").contains(containing).doesNotContain("\tat ");
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long filesIn(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
