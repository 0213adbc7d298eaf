package io.djangouserbackup.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.djangouserbackup.model.Sections;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportImportTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05.123456Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private static String export(Path db) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Exporter.of(DjangoDatabase.sqlite(db)).withClock(CLOCK).exportTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void exportThenImportIntoFreshDatabaseGivesTheSameDocument() {
        Path source = TestDatabases.create(dir, "source.sqlite3", TestDatabases.AUTH_USER);
        TestDatabases.insertUser(source, 1, "alice", "pbkdf2_sha256$260000$salt$hash=");
        TestDatabases.insertUser(source, 7, "zoë.李 \"quoted\" \\ 🦄", "!unusable");
        TestDatabases.addToGroup(source, 1, "editors");
        TestDatabases.addToGroup(source, 7, "editors");
        TestDatabases.grantGroup(source, "editors", "view_user");
        TestDatabases.grant(source, 7, "change_user");
        TestDatabases.insertModel(source, 3, "gpt-4o", 0.7, 1, 7);

        String first = export(source);
        Path target = TestDatabases.create(dir, "target.sqlite3", TestDatabases.AUTH_USER);
        ImportResult result = Importer.of(DjangoDatabase.sqlite(target)).importFrom(BackupSource.of(first.getBytes(StandardCharsets.UTF_8)));

        assertThat(result.section(Sections.USERS).created()).isEqualTo(2);
        assertThat(export(target)).isEqualTo(first);
        assertThat(first).contains("\"username\":\"alice\"").contains("\"temperature\":0.7");
    }
}
