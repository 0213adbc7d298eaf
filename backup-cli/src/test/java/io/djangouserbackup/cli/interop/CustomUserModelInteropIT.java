package io.djangouserbackup.cli.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4, scenario 4: the custom user model variant ({@code AUTH_USER_MODEL = accounts.User}, an
 * {@code AbstractUser} with extra columns of several types: text, date, integer, decimal, long text, UUID). Every
 * extra column must survive a round trip (scenarios 1 and 2), a merge (5) and a replace (6), as Django sees it.
 */
class CustomUserModelInteropIT {
    static final int BULK_USERS = 2000;
    static final String[] EXTRA_COLUMNS = {"phone", "birth_date", "karma", "balance", "bio", "external_id"};

    @TempDir
    static Path shared;
    static Dataset source;
    static Path backup;
    static Dataset target;

    @TempDir
    Path dir;

    @BeforeAll
    static void buildSourceTakeBackupAndBuildTarget() {
        Django.require();
        Cli.jar();
        source = Dataset.source(Django.on(shared.resolve("source.sqlite3")).custom(), BULK_USERS);
        assertThat(source.facts().fact("variant")).isEqualTo("custom");
        backup = shared.resolve("backup.json");
        Cli.export(source.db(), backup);
        target = Dataset.target(Django.on(shared.resolve("target.sqlite3")).custom(), source);
    }

    @Test
    void scenario4_roundTrip_everyExtraColumnSurvives() {
        for (String column : EXTRA_COLUMNS) {
            // Hundreds of users hold a value other than the column's default, or the column proves nothing.
            assertThat(source.fact("custom_set." + column)).as(column).isGreaterThan(300);
        }
        Django fresh = Django.on(dir.resolve("fresh.sqlite3")).custom();
        fresh.step("migrate");
        Cli.importInto(fresh.db(), "merge", backup);

        Finished verdict = fresh.verdict("check-restore", "--expected", source.snapshot().toString(),
                "--passwords", source.passwords().toString());
        assertThat(verdict.factLong("checked_users")).isEqualTo(source.fact("users"));
        assertThat(verdict.factLong("checked_logins")).isEqualTo(6);
        // The scenario 7 helper converts each extra column the way Django reads it, at full precision.
        Finished compared = fresh.run("compare_backup.py", backup.toString());
        assertThat(compared.exitCode()).as(compared::describe).isZero();
        fresh.verdict("create-after-restore", "--expected", source.snapshot().toString());
    }

    @Test
    void scenario4_merge_backupUsersWinWithTheirExtraColumns() {
        Path db = target.copyDbTo(dir, "target.sqlite3");
        Cli.importInto(db, "merge", backup);

        Finished verdict = Django.on(db).custom().verdict("check-merge", "--source", source.snapshot().toString(),
                "--target", target.snapshot().toString(), "--source-passwords", source.passwords().toString(),
                "--target-passwords", target.passwords().toString());
        assertThat(verdict.factLong("overlapping_users")).isGreaterThan(100);
        assertThat(verdict.factLong("target_own_users")).isGreaterThan(200);
    }

    @Test
    void scenario4_replace_targetEqualsBackupWithItsExtraColumns() {
        Path db = target.copyDbTo(dir, "target.sqlite3");
        Cli.importInto(db, "replace", backup);

        Django django = Django.on(db).custom();
        Finished verdict = django.verdict("check-restore", "--expected", source.snapshot().toString(),
                "--passwords", source.passwords().toString());
        assertThat(verdict.factLong("checked_users")).isEqualTo(source.fact("users"));
        django.verdict("create-after-restore", "--expected", source.snapshot().toString());
    }
}
