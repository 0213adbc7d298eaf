package io.djangouserbackup.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.djangouserbackup.model.Sections;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code verify} of a backup taken from real MariaDB, whose header declares Django's booleans as MySQL does
 * ({@code tinyint(1)}). It read those declared types as SQLite's, where {@code tinyint(1)} is an integer, and
 * refused every such backup taken with {@code --table}/{@code --all-user-tables} ({@code account_emailaddress[0].verified:
 * expected an integer, got boolean}, exit 4) although {@code import} reads it: the nightly {@code export && verify}
 * of a MariaDB site with allauth failed every night.
 */
class MariaDbVerifyTest {
    private static final List<String> TABLES = List.of("account_emailaddress");

    @TempDir
    Path dir;

    @Test
    void aBackupOfMariaDbWithBooleanColumnsInIncludedTablesVerifies() {
        Path source = MoreTables.source(dir, "source.sqlite3", TestDatabases.AUTH_USER);
        ServerDatabase mariadb = MariaDbServer.SERVER.create("default", Map.of("DJANGO_MORE_APPS", "1"));
        ServerRoundTripTest.importInto(mariadb.django(), ServerRoundTripTest.export(DjangoDatabase.sqlite(source)
                .withTables(TABLES)), ImportMode.MERGE);
        String backup = ServerRoundTripTest.export(mariadb.django().withTables(TABLES));
        assertThat(backup).contains("\"verified\":\"tinyint(1)\"", "\"is_staff\":\"tinyint(1)\"");

        VerifyResult verified = Verifier.standard().verify(BackupSource.of(backup.getBytes(StandardCharsets.UTF_8)));

        assertThat(verified.rows("account_emailaddress")).isEqualTo(2);
        assertThat(verified.rows(Sections.USERS)).isEqualTo(2);
    }
}
