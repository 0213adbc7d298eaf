package io.djangouserbackup.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code withRedactedPasswords}: every hash becomes an unusable password as Django makes it; nothing else changes. */
class RedactPasswordsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);
    private static final String HASH = "pbkdf2_sha256$260000$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA=";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path source() {
        Path db = TestDatabases.create(dir, "source.sqlite3", TestDatabases.AUTH_USER);
        for (int id = 1; id <= 20; id++) {
            TestDatabases.insertUser(db, id, "user-" + id, HASH);
        }
        TestDatabases.execute(db, "UPDATE auth_user SET password = '!alreadyUnusable' WHERE id = 20");
        TestDatabases.addToGroup(db, 3, "editors");
        TestDatabases.insertModel(db, 1, "gpt-4o", 0.7, 1, 2);
        return db;
    }

    private static String export(Exporter exporter) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        exporter.withClock(CLOCK).exportTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void everyHashBecomesADifferentUnusablePasswordAndNothingElseChanges() throws IOException {
        Path db = source();
        String plain = export(Exporter.of(DjangoDatabase.sqlite(db)));
        String redacted = export(Exporter.of(DjangoDatabase.sqlite(db)).withRedactedPasswords(true));

        assertThat(redacted).doesNotContain(HASH).doesNotContain("c2FsdHNhbHQ").doesNotContain("alreadyUnusable");
        JsonNode doc = JSON.readTree(redacted);
        Set<String> passwords = new HashSet<>();
        for (JsonNode user : doc.get("users")) {
            assertThat(user.get("password").asText()).matches("![a-zA-Z0-9]{40}");
            passwords.add(user.get("password").asText());
        }
        assertThat(passwords).hasSize(20);

        ObjectNode plainTree = (ObjectNode) JSON.readTree(plain);
        ObjectNode redactedTree = (ObjectNode) doc;
        for (ObjectNode tree : List.of(plainTree, redactedTree)) {
            tree.remove("sha256");
            tree.get("users").forEach(user -> ((ObjectNode) user).remove("password"));
        }
        assertThat(redactedTree).isEqualTo(plainTree);
        assertThat(Verifier.standard().verify(BackupSource.of(redacted.getBytes(StandardCharsets.UTF_8))).rows("users"))
                .isEqualTo(20);
    }

    @Test
    void aRedactedBackupImportsAndDjangoSaysNoPasswordIsUsable() throws Exception {
        Path db = source();
        String redacted = export(Exporter.of(DjangoDatabase.sqlite(db)).withRedactedPasswords(true));
        Path target = TestDatabases.create(dir, "target.sqlite3", TestDatabases.AUTH_USER);
        Importer.of(DjangoDatabase.sqlite(target)).importFrom(BackupSource.of(redacted.getBytes(StandardCharsets.UTF_8)));

        List<String> stored = new ArrayList<>();
        for (int id = 1; id <= 20; id++) {
            stored.add(String.valueOf(TestDatabases.queryLong(target,
                    "SELECT count(*) FROM auth_user WHERE id = " + id + " AND password LIKE '!%' AND length(password) = 41")));
        }
        assertThat(stored).containsOnly("1");

        // Django itself: no stored password is usable, and the old password no longer checks.
        String script = "import sqlite3, sys\n"
                + "from django.conf import settings\n"
                + "settings.configure(PASSWORD_HASHERS=['django.contrib.auth.hashers.PBKDF2PasswordHasher'])\n"
                + "from django.contrib.auth.hashers import is_password_usable, check_password\n"
                + "rows = sqlite3.connect(sys.argv[1]).execute('SELECT password FROM auth_user').fetchall()\n"
                + "print(len(rows), sum(is_password_usable(p) for (p,) in rows), sum(check_password('x', p) for (p,) in rows))\n";
        Process python = new ProcessBuilder("/usr/bin/python3", "-c", script, target.toString()).redirectErrorStream(true).start();
        String answer = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(python.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(answer).isEqualTo("20 0 0");
    }
}
