package io.djangouserbackup.cli.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.djangouserbackup.core.PostgresServer;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7 on PostgreSQL, with Django as the judge on both engines: real Django builds the data in SQLite, the
 * built jar moves it into a PostgreSQL database that Django migrated through psycopg2, and back into SQLite.
 * Django on PostgreSQL sees exactly the source (dumpdata, every value at full precision through the ORM,
 * effective permissions, flags, passwords, logins) and creates new rows without an id collision; the SQLite
 * database restored from PostgreSQL's backup holds the source's rows exactly, storage classes included.
 */
class PostgresInteropIT {
    static final int BULK_USERS = 500;

    @TempDir
    static Path shared;
    static Dataset source;
    static Path backup;

    @TempDir
    Path dir;

    @BeforeAll
    static void buildSourceAndTakeBackup() {
        Django.require();
        PostgresServer.SERVER.require();
        Cli.jar();
        source = Dataset.source(Django.on(shared.resolve("source.sqlite3")), BULK_USERS);
        backup = shared.resolve("backup.json");
        Cli.export(source.db(), backup);
    }

    /** A fresh PostgreSQL database that Django itself migrated. */
    private Django migratedPostgres() {
        Django postgres = emptyPostgres();
        postgres.step("migrate");
        return postgres;
    }

    private Django emptyPostgres() {
        return Django.onPostgres(PostgresServer.SERVER.createEmpty().djangoUrl(), dir);
    }

    private static String urlWithoutPassword(Django postgres) {
        return postgres.postgresUrl().replaceFirst("^postgres://([^:@]+):[^@]*@", "postgres://$1@");
    }

    @Test
    void sqliteToPostgres_djangoOnPostgresSeesTheSameDataAndCreatesNewUsers() {
        assertThat(source.fact("users")).as(source.facts()::describe).isGreaterThan(450);
        assertThat(source.fact("non_ascii_usernames")).isGreaterThan(10);
        Django postgres = migratedPostgres();

        Cli.runOnServer(dir, PostgresServer.SERVER.password(), "import", "--url", urlWithoutPassword(postgres), "--yes", backup.toString());

        Finished verdict = postgres.verdict("check-restore", "--expected", source.snapshot().toString(),
                "--passwords", source.passwords().toString());
        assertThat(verdict.factLong("checked_users")).isEqualTo(source.fact("users"));
        assertThat(verdict.factLong("checked_passwords")).isEqualTo(source.fact("users") - 1);
        assertThat(verdict.factLong("checked_logins")).isEqualTo(6);
        Finished created = postgres.verdict("create-after-restore", "--expected", source.snapshot().toString());
        assertThat(created.factLong("new_user_id")).isGreaterThan(created.factLong("max_restored_user_id"));
        assertThat(created.factLong("max_restored_user_id")).isEqualTo(source.fact("max_user_id"));
    }

    @Test
    void sqliteToPostgresToSqlite_djangoSeesTheSourceExactly() {
        Django postgres = migratedPostgres();
        Cli.runOnServer(dir, PostgresServer.SERVER.password(), "import", "--url", urlWithoutPassword(postgres), "--yes", backup.toString());
        Path fromPostgres = dir.resolve("from-postgres.json");
        Cli.runOnServer(dir, PostgresServer.SERVER.password(), "export", "--url", urlWithoutPassword(postgres), fromPostgres.toString());

        Django back = Django.on(dir.resolve("back.sqlite3"));
        back.step("migrate");
        Cli.importInto(back.db(), "merge", fromPostgres);

        Finished verdict = back.verdict("check-restore", "--expected", source.snapshot().toString(),
                "--passwords", source.passwords().toString());
        assertThat(verdict.factLong("checked_users")).isEqualTo(source.fact("users"));
    }

    /**
     * Scenario 6 on PostgreSQL: replace into a target that Django built there and that diverged from the source
     * (users, groups and model rows of its own, groups of the same names under other ids): afterwards Django on
     * PostgreSQL sees exactly the source, and creates new rows above the restored ids.
     */
    @Test
    void replaceIntoDivergedPostgres_djangoSeesExactlyTheSource() {
        Django postgres = emptyPostgres();
        postgres.step("build-target", "--source-snapshot", source.snapshot().toString(),
                "--passwords-out", dir.resolve("target.passwords.json").toString());
        Finished before = postgres.step("snapshot", "--out", dir.resolve("target.snapshot.json").toString());
        assertThat(before.factLong("users")).as("the target has users of its own to remove").isGreaterThan(100);

        Cli.runOnServer(dir, PostgresServer.SERVER.password(), "import", "--url", urlWithoutPassword(postgres), "--mode", "replace",
                "--yes", backup.toString());

        Finished verdict = postgres.verdict("check-restore", "--expected", source.snapshot().toString(),
                "--passwords", source.passwords().toString());
        assertThat(verdict.factLong("checked_users")).isEqualTo(source.fact("users"));
        postgres.verdict("create-after-restore", "--expected", source.snapshot().toString());
    }

    /** Scenario 4 on PostgreSQL: a custom user model's extra columns (date, decimal, UUID, ...) as Django reads them. */
    @Test
    void customUserModelIntoPostgres_everyExtraColumnSurvives() {
        Dataset custom = Dataset.source(Django.on(dir.resolve("custom.sqlite3")).custom(), 300);
        assertThat(custom.fact("custom_set.external_id")).isGreaterThan(50);
        assertThat(custom.fact("custom_set.balance")).isGreaterThan(50);
        Path customBackup = dir.resolve("custom.json");
        Cli.export(custom.db(), customBackup);
        Django postgres = emptyPostgres().custom();
        postgres.step("migrate");

        Cli.runOnServer(dir, PostgresServer.SERVER.password(), "import", "--url", urlWithoutPassword(postgres), "--yes",
                customBackup.toString());

        Finished verdict = postgres.verdict("check-restore", "--expected", custom.snapshot().toString(),
                "--passwords", custom.passwords().toString());
        assertThat(verdict.factLong("checked_users")).isEqualTo(custom.fact("users"));
        postgres.verdict("create-after-restore", "--expected", custom.snapshot().toString());
    }

    /**
     * Scenario 5 on PostgreSQL: merge into a target Django built and diverged there. The backup's users, groups
     * and model rows are as in the source, the target's own are as before, and Django creates new rows after.
     */
    @Test
    void mergeIntoDivergedPostgres_backupUsersWinAndTargetUsersStay() {
        Django postgres = emptyPostgres();
        Path targetPasswords = dir.resolve("target.passwords.json");
        Path targetSnapshot = dir.resolve("target.snapshot.json");
        postgres.step("build-target", "--source-snapshot", source.snapshot().toString(), "--passwords-out", targetPasswords.toString());
        postgres.step("snapshot", "--out", targetSnapshot.toString());

        Cli.runOnServer(dir, PostgresServer.SERVER.password(), "import", "--url", urlWithoutPassword(postgres), "--yes", backup.toString());

        Finished verdict = postgres.verdict("check-merge", "--source", source.snapshot().toString(),
                "--target", targetSnapshot.toString(), "--source-passwords", source.passwords().toString(),
                "--target-passwords", targetPasswords.toString());
        assertThat(verdict.factLong("overlapping_users")).isGreaterThan(50);
        assertThat(verdict.factLong("target_own_users")).isGreaterThan(50);
        postgres.verdict("create-after-restore", "--expected", source.snapshot().toString());
    }
}
