package io.djangouserbackup.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.djangouserbackup.model.Sections;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backup files: owner-only, written atomically, never overwritten unless asked, gzip by name. */
class ExportFileTest {
    @TempDir
    Path dir;

    private Path database() {
        Path db = TestDatabases.create(dir, "db.sqlite3", TestDatabases.AUTH_USER);
        TestDatabases.insertUser(db, 1, "alice", "pbkdf2_sha256$260000$salt$hash=");
        return db;
    }

    @Test
    void theFileIsReadableByItsOwnerOnlyAndNoTemporaryFileRemains() throws IOException {
        Path file = dir.resolve("backup.json");

        ExportResult result = Exporter.of(DjangoDatabase.sqlite(database())).exportTo(file);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(result.bytes()).isEqualTo(Files.size(file));
        assertThat(result.rows(Sections.USERS)).isEqualTo(1);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("db.sqlite3", "backup.json");
        }
    }

    @Test
    void anExistingFileIsKeptUnlessOverwritingIsAllowed() throws IOException {
        Path file = dir.resolve("backup.json");
        Files.writeString(file, "precious");
        Path db = database();

        assertThatThrownBy(() -> Exporter.of(DjangoDatabase.sqlite(db)).exportTo(file))
                .isInstanceOf(OutputExistsException.class);
        assertThat(Files.readString(file)).isEqualTo("precious");

        Exporter.of(DjangoDatabase.sqlite(db)).withOverwrite(true).exportTo(file);
        assertThat(Files.readString(file)).contains("\"alice\"");
    }

    @Test
    void aGzNameIsCompressedAndReadBackTransparently() throws IOException {
        Path file = dir.resolve("backup.json.gz");
        Exporter.of(DjangoDatabase.sqlite(database())).exportTo(file);

        try (InputStream in = Files.newInputStream(file)) {
            assertThat(in.readNBytes(2)).containsExactly(0x1f, 0x8b);
        }
        try (InputStream in = BackupSource.of(file).open()) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).contains("\"format_version\": 2");
        }
        assertThat(Verifier.standard().verify(BackupSource.of(file)).rows(Sections.USERS)).isEqualTo(1);
    }

    @Test
    void theHeaderSaysWhatTheDatabaseKnowsOfItsDjangoRelease() {
        String backup = ExportImportProperties.export(database());

        assertThat(backup).contains("\"at_least\":\"3.1\"", "\"auth\":\"0012_alter_user_first_name_max_length\"",
                "\"contenttypes\":\"0002_remove_content_type_name\"");
    }

    @Test
    void aFailedExportLeavesNoFileUnderTheName() {
        Path file = dir.resolve("backup.json");
        Path notDjango = dir.resolve("other.sqlite3");
        TestDatabases.execute(notDjango, "CREATE TABLE t (x)");

        assertThatThrownBy(() -> Exporter.of(DjangoDatabase.sqlite(notDjango)).exportTo(file))
                .isInstanceOf(IncompatibleDatabaseException.class);
        assertThat(file).doesNotExist();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("other.sqlite3");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void withoutAnOpenAiModelTableTheSectionIsEmptyWithANote() {
        Path db = database();
        TestDatabases.execute(db, "DROP TABLE chat_openaimodel_users");
        TestDatabases.execute(db, "DROP TABLE chat_openaimodel");

        ExportResult result = Exporter.of(DjangoDatabase.sqlite(db)).exportTo(dir.resolve("backup.json"));

        assertThat(result.rows(Sections.OPENAI_MODELS)).isZero();
        assertThat(result.rows(Sections.USERS)).isEqualTo(1);
        assertThat(result.notes()).containsExactly("no OpenAI model table (<app>_openaimodel) in the database: openai_models is empty");
    }
}
