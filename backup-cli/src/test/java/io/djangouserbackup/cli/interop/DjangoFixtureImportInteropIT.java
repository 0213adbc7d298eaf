package io.djangouserbackup.cli.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, the import half: fixtures written by real {@code manage.py dumpdata auth contenttypes chat} in each of
 * the three forms people have (no natural keys; {@code --natural-foreign}; {@code --natural-foreign
 * --natural-primary}) are imported with {@code import}, and Django judges the result
 * ({@code interop/scenarios/fixtures.py}): the target's {@code dumpdata --natural-foreign --natural-primary} of
 * users, groups and OpenAI models equals what Django's own {@code loaddata} of the same fixture gives in a fresh
 * database (Django's serializer keeps only milliseconds of a datetime, so the source itself is not the measure),
 * and every user's password verifies with {@code check_password}. A fixture without natural keys is refused where
 * its permission ids mean other permissions in the target; one holding a model the tool does not restore
 * ({@code admin.logentry}) is refused by name; the database stays byte for byte as it was.
 */
class DjangoFixtureImportInteropIT {
    @TempDir
    static Path shared;
    static Path passwords;
    static Path withoutNaturalKeys;
    static Path naturalForeign;
    static Path naturalForeignAndPrimary;
    static Path withLogEntry;

    @TempDir
    Path dir;

    @BeforeAll
    static void dumpTheSourceInEachForm() throws IOException {
        Django.require();
        Cli.jar();
        Django source = Django.on(shared.resolve("source.sqlite3"));
        passwords = shared.resolve("passwords.json");
        source.step("build-source", "--users", "40", "--passwords-out", passwords.toString());
        withoutNaturalKeys = dump(source, "plain.json");
        naturalForeign = dump(source, "natural-foreign.json", "--natural-foreign");
        naturalForeignAndPrimary = dump(source, "natural-both.json", "--natural-foreign", "--natural-primary");
        Path copy = shared.resolve("copy.sqlite3");
        Files.copy(source.db(), copy);
        withLogEntry = dump(Django.on(copy), "with-log-entry.json", "--natural-foreign", "--log-entry");
    }

    private static Path dump(Django django, String name, String... options) {
        Path out = shared.resolve(name);
        String[] args = new String[options.length + 3];
        args[0] = "dumpdata";
        args[1] = "--out";
        args[2] = out.toString();
        System.arraycopy(options, 0, args, 3, options.length);
        Finished dumped = django.step(args);
        assertThat(dumped.fact("models")).contains("auth.user", "auth.group", "auth.permission",
                "contenttypes.contenttype", "chat.openaimodel");
        return out;
    }

    /** What Django's loaddata makes of the fixture in a fresh database, by natural key. */
    private Path loaddataReference(Path fixture) {
        Django reference = Django.on(dir.resolve("reference.sqlite3"));
        reference.step("migrate");
        reference.step("loaddata", "--fixture", fixture.toString());
        Path expected = dir.resolve("expected.json");
        reference.step("natural-dump", "--out", expected.toString());
        return expected;
    }

    private void judge(Django target, Path expected) {
        Finished verdict = target.verdict("check-fixture-import", "--expected", expected.toString(), "--passwords",
                passwords.toString());
        assertThat(verdict.factLong("checked_objects")).isGreaterThan(100);
        assertThat(verdict.factLong("checked_passwords")).isGreaterThan(30);
    }

    /** A target migrated with other apps first: its content-type and permission ids are not the source's. */
    private Django shiftedTarget() {
        Django target = Django.on(dir.resolve("target.sqlite3")).withExtraApps(DjangoInteropIT.EXTRA_APPS);
        target.step("migrate");
        return target;
    }

    @Test
    void naturalForeignAndPrimary_importsAsLoaddataDoes_andAgainChangesNothing() {
        Path expected = loaddataReference(naturalForeignAndPrimary);
        Django target = shiftedTarget();
        Finished verified = Cli.run(dir, "verify", naturalForeignAndPrimary.toString());
        assertThat(verified.exitCode()).as(verified::describe).isZero();
        assertThat(verified.stdout()).contains("a valid Django fixture").contains("40 OpenAI models");

        Cli.importInto(target.db(), "merge", naturalForeignAndPrimary);

        judge(target, expected);
        Finished dryRun = Cli.run(dir, "import", "--db", target.db().toString(), "--dry-run", naturalForeignAndPrimary.toString());
        assertThat(dryRun.exitCode()).as(dryRun::describe).isZero();
        assertThat(dryRun.stdout()).contains("a Django fixture").doesNotContain(" created ").doesNotContain(" updated ");
        Cli.importInto(target.db(), "replace", naturalForeignAndPrimary);
        judge(target, expected);
    }

    @Test
    void naturalForeign_gzipped_importsAsLoaddataDoesIntoAShiftedTarget() throws IOException {
        Path expected = loaddataReference(naturalForeign);
        Django target = shiftedTarget();
        Path gzipped = dir.resolve("natural-foreign.json.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gzipped))) {
            Files.copy(naturalForeign, out);
        }

        Cli.importInto(target.db(), "replace", gzipped);

        judge(target, expected);
    }

    @Test
    void withoutNaturalKeys_importsWhereTheIdsMeanTheSame() {
        Path expected = loaddataReference(withoutNaturalKeys);
        Django target = Django.on(dir.resolve("target.sqlite3"));
        target.step("migrate");

        Cli.importInto(target.db(), "merge", withoutNaturalKeys);

        judge(target, expected);
    }

    @Test
    void withoutNaturalKeys_isRefusedWherePermissionIdsMeanOthers() throws IOException {
        Django target = shiftedTarget();
        String before = sha256(target.db());

        Finished refused = Cli.tryImport(target.db(), "merge", withoutNaturalKeys);

        assertThat(refused.exitCode()).as(refused::describe).isEqualTo(4);
        assertThat(refused.stderr().strip().lines().toList()).as(refused::describe).hasSize(1);
        assertThat(refused.stderr()).contains(".fields.permissions[0]: permission id ").contains(" in the fixture but ")
                .contains("in the target database").contains("--natural-foreign");
        assertThat(sha256(target.db())).isEqualTo(before);
    }

    @Test
    void aFixtureWithAModelTheToolDoesNotRestoreIsRefusedByName() throws IOException {
        Django target = Django.on(dir.resolve("target.sqlite3"));
        target.step("migrate");
        Cli.importInto(target.db(), "merge", naturalForeign);
        String before = sha256(target.db());

        for (String mode : new String[] {"merge", "replace"}) {
            Finished refused = Cli.tryImport(target.db(), mode, withLogEntry);

            assertThat(refused.exitCode()).as(refused::describe).isEqualTo(4);
            assertThat(refused.stderr()).as(refused::describe).contains("].model: 'admin.logentry' is not a model this tool restores");
            assertThat(sha256(target.db())).isEqualTo(before);
        }
        Finished verified = Cli.run(dir, "verify", withLogEntry.toString());
        assertThat(verified.exitCode()).as(verified::describe).isEqualTo(4);
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
