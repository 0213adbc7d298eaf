package io.djangouserbackup.cli.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.djangouserbackup.core.DatabaseServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7 on a database server, with Django as the judge on both engines: real Django builds the data in SQLite,
 * the built jar moves it into a server database that Django migrated through its own driver, and back into SQLite.
 * Django on the server sees exactly the source (dumpdata, every value at full precision through the ORM, effective
 * permissions, flags, passwords, logins) and creates new rows without an id collision; the SQLite database restored
 * from the server's backup holds the source's rows exactly, storage classes included.
 *
 * <p>Scenarios 1 to 7 of {@code interop/README.md} where they apply to a server; one subclass per engine names the
 * server, the password variable its client reads, and the source it can hold.
 */
abstract class ServerInteropIT {
    static final int BULK_USERS = 500;

    @TempDir
    static Path shared;
    static Dataset source;
    static Path backup;

    @TempDir
    Path dir;

    /** The server under test. */
    abstract DatabaseServer server();

    /** The environment variable the engine's client reads a password from. */
    abstract String passwordVariable();

    /** Builds the class's source in SQLite, as Django makes it, and exports it; called once by each subclass. */
    static void buildSourceAndTakeBackup(DatabaseServer server, String... sourceOptions) {
        Django.require();
        server.require();
        Cli.jar();
        source = Dataset.source(Django.on(shared.resolve("source.sqlite3")), BULK_USERS, sourceOptions);
        backup = shared.resolve("backup.json");
        Cli.export(source.db(), backup);
    }

    /** A fresh server database that Django itself migrated. */
    Django migratedServer() {
        Django server = emptyServer();
        server.step("migrate");
        return server;
    }

    Django emptyServer() {
        return Django.onServer(server().createEmpty().djangoUrl(), dir);
    }

    static String urlWithoutPassword(Django server) {
        return server.serverUrl().replaceFirst("^([a-z]+)://([^:@]+):[^@]*@", "$1://$2@");
    }

    /** Runs the jar on the server, which must succeed, with the password in the client's variable. */
    Finished onServer(String... args) {
        return Cli.runOnServer(dir, passwordVariable(), server().password(), args);
    }

    /** Scenarios 1 and 2: Django on the server sees the same data, and creates new users after the restore. */
    @Test
    void sqliteToServer_djangoOnTheServerSeesTheSameDataAndCreatesNewUsers() {
        assertThat(source.fact("users")).as(source.facts()::describe).isGreaterThan(450);
        assertThat(source.fact("non_ascii_usernames")).isGreaterThan(10);
        Django server = migratedServer();

        onServer("import", "--url", urlWithoutPassword(server), "--yes", backup.toString());

        Finished verdict = server.verdict("check-restore", "--expected", source.snapshot().toString(),
                "--passwords", source.passwords().toString());
        assertThat(verdict.factLong("checked_users")).isEqualTo(source.fact("users"));
        assertThat(verdict.factLong("checked_passwords")).isEqualTo(source.fact("users") - 1);
        assertThat(verdict.factLong("checked_logins")).isEqualTo(6);
        Finished created = server.verdict("create-after-restore", "--expected", source.snapshot().toString());
        assertThat(created.factLong("new_user_id")).isGreaterThan(created.factLong("max_restored_user_id"));
        assertThat(created.factLong("max_restored_user_id")).isEqualTo(source.fact("max_user_id"));
    }

    @Test
    void sqliteToServerToSqlite_djangoSeesTheSourceExactly() {
        Django server = migratedServer();
        onServer("import", "--url", urlWithoutPassword(server), "--yes", backup.toString());
        Path fromServer = dir.resolve("from-server.json");
        onServer("export", "--url", urlWithoutPassword(server), fromServer.toString());

        Django back = Django.on(dir.resolve("back.sqlite3"));
        back.step("migrate");
        Cli.importInto(back.db(), "merge", fromServer);

        Finished verdict = back.verdict("check-restore", "--expected", source.snapshot().toString(),
                "--passwords", source.passwords().toString());
        assertThat(verdict.factLong("checked_users")).isEqualTo(source.fact("users"));
    }

    /**
     * Scenario 3 on the server: Django migrated it with more apps first, so its content types and permissions have
     * other ids than the source's; the restored users and groups hold the same permissions by natural key.
     */
    @Test
    void scenario3_restoreIntoServerWithOtherContentTypeAndPermissionIds_keepsPermissions() {
        Django shifted = emptyServer().withExtraApps(DjangoInteropIT.EXTRA_APPS);
        shifted.step("migrate");
        Finished ids = shifted.step("snapshot", "--out", dir.resolve("extra-apps.snapshot.json").toString());
        for (String key : new String[] {"ct.chat.openaimodel", "ct.auth.user", "perm.chat.add_openaimodel", "perm.auth.change_group"}) {
            assertThat(ids.fact(key)).as("%s must differ between the databases, or scenario 3 tests nothing", key)
                    .isNotEqualTo(source.facts().fact(key));
        }

        onServer("import", "--url", urlWithoutPassword(shifted), "--yes", backup.toString());

        Finished verdict = shifted.verdict("check-restore", "--expected", source.snapshot().toString(),
                "--passwords", source.passwords().toString());
        assertThat(verdict.factLong("checked_effective_permissions")).isGreaterThan(50);
    }

    /** Scenario 4 on the server: a custom user model's extra columns (date, decimal, UUID, ...) as Django reads them. */
    @Test
    void scenario4_customUserModelIntoServer_everyExtraColumnSurvives() {
        Dataset custom = Dataset.source(Django.on(dir.resolve("custom.sqlite3")).custom(), 300, sourceOptions());
        assertThat(custom.fact("custom_set.external_id")).isGreaterThan(50);
        assertThat(custom.fact("custom_set.balance")).isGreaterThan(50);
        Path customBackup = dir.resolve("custom.json");
        Cli.export(custom.db(), customBackup);
        Django server = emptyServer().custom();
        server.step("migrate");

        onServer("import", "--url", urlWithoutPassword(server), "--yes", customBackup.toString());

        Finished verdict = server.verdict("check-restore", "--expected", custom.snapshot().toString(),
                "--passwords", custom.passwords().toString());
        assertThat(verdict.factLong("checked_users")).isEqualTo(custom.fact("users"));
        server.verdict("create-after-restore", "--expected", custom.snapshot().toString());
    }

    /** The options the class's source was built with, for another source built the same way. */
    abstract String[] sourceOptions();

    /**
     * Scenario 5 on the server: merge into a target Django built and diverged there. The backup's users, groups and
     * model rows are as in the source, the target's own are as before, and Django creates new rows after.
     */
    @Test
    void scenario5_mergeIntoDivergedServer_backupUsersWinAndTargetUsersStay() {
        Django server = emptyServer();
        Path targetPasswords = dir.resolve("target.passwords.json");
        Path targetSnapshot = dir.resolve("target.snapshot.json");
        server.step("build-target", "--source-snapshot", source.snapshot().toString(), "--passwords-out", targetPasswords.toString());
        server.step("snapshot", "--out", targetSnapshot.toString());

        onServer("import", "--url", urlWithoutPassword(server), "--yes", backup.toString());

        Finished verdict = server.verdict("check-merge", "--source", source.snapshot().toString(),
                "--target", targetSnapshot.toString(), "--source-passwords", source.passwords().toString(),
                "--target-passwords", targetPasswords.toString());
        assertThat(verdict.factLong("overlapping_users")).isGreaterThan(50);
        assertThat(verdict.factLong("target_own_users")).isGreaterThan(50);
        server.verdict("create-after-restore", "--expected", source.snapshot().toString());
    }

    /**
     * Scenario 6 on the server: replace into a target that Django built there and that diverged from the source
     * (users, groups and model rows of its own, groups of the same names under other ids): afterwards Django on the
     * server sees exactly the source, and creates new rows above the restored ids.
     */
    @Test
    void scenario6_replaceIntoDivergedServer_djangoSeesExactlyTheSource() {
        Django server = emptyServer();
        server.step("build-target", "--source-snapshot", source.snapshot().toString(),
                "--passwords-out", dir.resolve("target.passwords.json").toString());
        Finished before = server.step("snapshot", "--out", dir.resolve("target.snapshot.json").toString());
        assertThat(before.factLong("users")).as("the target has users of its own to remove").isGreaterThan(100);

        onServer("import", "--url", urlWithoutPassword(server), "--mode", "replace", "--yes", backup.toString());

        Finished verdict = server.verdict("check-restore", "--expected", source.snapshot().toString(),
                "--passwords", source.passwords().toString());
        assertThat(verdict.factLong("checked_users")).isEqualTo(source.fact("users"));
        server.verdict("create-after-restore", "--expected", source.snapshot().toString());
    }

    /**
     * Scenario 7 on the server: Django on a server restored from the backup agrees with the backup, user by user;
     * after changes through the ORM it reports exactly the changed users, groups and model rows; and a backup the
     * jar takes from the server agrees with Django there again.
     */
    @Test
    void scenario7_backupComparedWithDjangoOnTheServer_reportsDifferencesByUser() {
        Django server = migratedServer();
        onServer("import", "--url", urlWithoutPassword(server), "--yes", backup.toString());
        Finished same = server.run("compare_backup.py", backup.toString());
        assertThat(same.exitCode()).as(same::describe).isZero();
        assertThat(same.factLong("backup_users")).isEqualTo(source.fact("users"));
        assertThat(same.factLong("django_users")).isEqualTo(source.fact("users"));

        Finished drift = server.step("drift");
        Finished changed = server.run("compare_backup.py", backup.toString());
        assertThat(changed.exitCode()).as(changed::describe).isEqualTo(1);
        assertThat(changed.fact("differing_user_ids")).as(changed::describe).isEqualTo(drift.fact("drifted_user_ids"));
        assertThat(changed.fact("differing_groups")).as(changed::describe).isEqualTo(drift.fact("drifted_groups"));
        assertThat(changed.fact("differing_model_ids")).as(changed::describe).isEqualTo(drift.fact("drifted_model_ids"));

        Path fromServer = dir.resolve("after-drift.json");
        onServer("export", "--url", urlWithoutPassword(server), fromServer.toString());
        Finished again = server.run("compare_backup.py", fromServer.toString());
        assertThat(again.exitCode()).as(again::describe).isZero();
    }
}
