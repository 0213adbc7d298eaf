package io.djangouserbackup.cli;

import static io.djangouserbackup.cli.Fixtures.assertExit;
import static io.djangouserbackup.cli.Fixtures.assertNoSecrets;
import static org.assertj.core.api.Assertions.assertThat;

import io.djangouserbackup.core.TestDatabases;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13 on the command line: a Django fixture through standard input, its dry run and verify say it is a
 * fixture, and a fixture's problem is one line naming the entry.
 */
class DjangoFixtureImportCommand13Test {
    @TempDir
    Path dir;
    @TempDir
    Path temp;

    private static byte[] validFixture() throws IOException {
        try (InputStream in = Objects.requireNonNull(DjangoFixtureImportCommand13Test.class.getResourceAsStream(
                "/corpus/valid-fixture.json"))) {
            return in.readAllBytes();
        }
    }

    private Cli cli() {
        return new Cli(dir, temp);
    }

    @Test
    void aFixtureOnStandardInputIsPlannedAndImported() throws IOException {
        Path db = Fixtures.djangoDatabase(dir, "db.sqlite3");
        String before = TestDatabases.sha256(db);

        Cli.Result dryRun = cli().stdin(validFixture()).run("import", "--db", db.toString(), "--mode", "replace",
                "--dry-run", "-");

        assertExit(dryRun, 0);
        assertThat(dryRun.out()).startsWith("Replacing standard input (a Django fixture, as manage.py dumpdata writes it) into ")
                .contains("updated   id 1 carol").contains("updated   id 2 dave");
        assertThat(TestDatabases.sha256(db)).isEqualTo(before);
        assertNoSecrets(dryRun);

        Cli.Result imported = cli().stdin(validFixture()).run("import", "--db", db.toString(), "--mode", "replace", "--yes",
                "-");

        assertExit(imported, 0);
        assertThat(TestDatabases.queryAll(db, "SELECT id, username FROM auth_user ORDER BY id"))
                .isEqualTo("1|carol|\n2|dave|\n");
        assertThat(TestDatabases.queryAll(db, "SELECT u.username FROM chat_openaimodel_users mu JOIN auth_user u ON"
                + " u.id = mu.user_id WHERE mu.openaimodel_id = 1 ORDER BY u.username")).isEqualTo("carol|\n");
    }

    @Test
    void verifySaysItIsAFixtureWithoutADigest() throws IOException {
        Cli.Result result = cli().stdin(validFixture()).run("verify", "-");

        assertExit(result, 0);
        assertThat(result.out()).isEqualTo("standard input: a valid Django fixture (as manage.py dumpdata writes it) of"
                + " 2 users, 1 group, 1 permission, 1 OpenAI model; it carries no digest, so truncation inside a value"
                + " cannot be ruled out, only a broken structure\n");
    }
}
