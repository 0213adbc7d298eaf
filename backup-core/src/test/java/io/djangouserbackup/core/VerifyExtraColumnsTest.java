package io.djangouserbackup.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code verify} promises exit 0 only when {@code import} would read the backup. A hand-edited (and resealed) backup
 * of a custom user model whose extra column holds a value of the wrong kind, or of the OpenAI model table, was
 * accepted by {@code verify} and refused by every {@code import}: without a database, only the columns of Django's
 * own {@code auth_user} were checked, although the header declares every column's type.
 */
class VerifyExtraColumnsTest {
    @TempDir
    Path dir;

    private String backup() {
        Path db = TestDatabases.create(dir, "source.sqlite3", TestDatabases.CUSTOM_USER);
        TestDatabases.execute(db, "INSERT INTO accounts_user (id, password, last_login, is_superuser, username, first_name,"
                + " last_name, email, is_staff, is_active, date_joined, phone, birth_date, karma, balance, bio, external_id)"
                + " VALUES (4, 'pbkdf2_sha256$260000$s$h', NULL, 0, 'ana', 'Ana', 'Ñ', 'ana@example.com', 0, 1,"
                + " '2024-05-01 09:30:15.123456', '+34 600', '1990-02-28', -3, 1234.5, 'bio',"
                + " 'c3d4e5f6a7b84c9d8e0f112233445566')");
        TestDatabases.execute(db, "INSERT INTO chat_openaimodel (id, name, description, max_tokens, temperature, is_enabled,"
                + " created) VALUES (1, 'o3-mini', '', 10, 0.2, 0, '2024-05-01 09:30:15')");
        return ExportImportProperties.export(db);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "\"birth_date\":\"1990-02-28\"            | \"birth_date\":\"1990-02-30\"     | users[0].birth_date",
        "\"balance\":1234.5                       | \"balance\":\"a lot\"              | users[0].balance",
        "\"karma\":-3                             | \"karma\":true                     | users[0].karma",
        "\"external_id\":\"c3d4e5f6a7b84c9d8e0f112233445566\" | \"external_id\":42     | users[0].external_id",
        "\"temperature\":0.2                      | \"temperature\":\"warm\"           | openai_models[0].temperature",
        "\"max_tokens\":10                        | \"max_tokens\":10.5                | openai_models[0].max_tokens",
    })
    void verifyRefusesWhatImportRefusesWithTheSameLine(String original, String edited, String place) {
        String backup = backup();
        assertThat(backup).contains(original);
        String document = BackupDigest.seal(backup.replace(original, edited));
        Path target = TestDatabases.create(dir, "target.sqlite3", TestDatabases.CUSTOM_USER);
        String before = TestDatabases.sha256(target);

        InvalidBackupException imported = catchThrowableOfType(
                () -> ExportImportProperties.importInto(target, document, ImportMode.MERGE), InvalidBackupException.class);

        assertThat(imported).as("import refuses it as an invalid backup").isNotNull();
        assertThat(imported.getMessage()).startsWith(place + ": ");
        assertThat(TestDatabases.sha256(target)).isEqualTo(before);
        assertThatThrownBy(() -> Verifier.standard().verify(BackupSource.of(document.getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(InvalidBackupException.class)
                .hasMessage(imported.getMessage());
    }
}
