package io.djangouserbackup.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.djangouserbackup.core.internal.SafeFiles;
import io.djangouserbackup.model.Sections;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/** The invariants of export and import, over generated user data in real Django databases. */
class ExportImportProperties {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

    private Path dir;
    private int counter;

    @BeforeProperty
    void createFolder() throws IOException {
        dir = Files.createTempDirectory("dub-properties");
    }

    @AfterProperty
    void deleteFolder() throws IOException {
        SafeFiles.deleteTree(dir);
    }

    @Provide
    Arbitrary<UserData> userData() {
        return UserDataArbitraries.userData();
    }

    private Path freshDatabase() {
        return TestDatabases.create(dir, "db" + (counter++) + ".sqlite3", TestDatabases.AUTH_USER);
    }

    private Path databaseWith(UserData data) {
        Path db = freshDatabase();
        data.insertInto(db);
        return db;
    }

    static String export(Path db) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Exporter.of(DjangoDatabase.sqlite(db)).withClock(CLOCK).exportTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    static ImportResult importInto(Path db, String document, ImportMode mode) {
        return Importer.of(DjangoDatabase.sqlite(db)).withMode(mode)
                .importFrom(BackupSource.of(document.getBytes(StandardCharsets.UTF_8)));
    }

    /** Export, import into a freshly migrated database, export again: the two documents are identical. */
    @Property(tries = 60)
    void exportThenImportIsIdentity(@ForAll("userData") UserData data) {
        String backup = export(databaseWith(data));
        Path target = freshDatabase();

        ImportResult result = importInto(target, backup, ImportMode.MERGE);

        assertThat(export(target)).isEqualTo(backup);
        assertThat(result.section(Sections.USERS).created()).isEqualTo(data.users().size());
    }

    /** Importing the same backup a second time changes nothing: every row is already as the backup says. */
    @Property(tries = 40)
    void importingTwiceChangesNothing(@ForAll("userData") UserData data) {
        String backup = export(databaseWith(data));
        Path target = freshDatabase();
        importInto(target, backup, ImportMode.MERGE);
        String once = export(target);
        String dumpOnce = TableDump.of(target);

        ImportResult second = importInto(target, backup, ImportMode.MERGE);

        assertThat(export(target)).isEqualTo(once);
        assertThat(TableDump.of(target)).isEqualTo(dumpOnce);
        assertThat(second.section(Sections.USERS).created()).isZero();
    }

    /** Merge keeps the target's users that the backup does not hold, with their links. */
    @Property(tries = 30)
    void mergeKeepsRowsNotInTheBackup(@ForAll("userData") UserData data) {
        String backup = export(databaseWith(data));
        Path target = freshDatabase();
        TestDatabases.insertUser(target, 2_000_001, "only-in-target", "pbkdf2_sha256$1$a$b");
        TestDatabases.grant(target, 2_000_001, "view_user");

        importInto(target, backup, ImportMode.MERGE);

        assertThat(TestDatabases.queryLong(target, "SELECT count(*) FROM auth_user WHERE id = 2000001 AND username = 'only-in-target'")).isEqualTo(1);
        assertThat(TestDatabases.queryLong(target, "SELECT count(*) FROM auth_user_user_permissions WHERE user_id = 2000001")).isEqualTo(1);
        assertThat(TestDatabases.queryLong(target, "SELECT count(*) FROM auth_user")).isEqualTo(data.users().size() + 1L);
    }

    /** Replace removes what the backup does not hold: afterwards the target exports the backup exactly. */
    @Property(tries = 30)
    void replaceMakesTheTargetEqualTheBackup(@ForAll("userData") UserData data, @ForAll("userData") UserData other) {
        String backup = export(databaseWith(data));
        Path target = databaseWith(other);

        ImportResult result = importInto(target, backup, ImportMode.REPLACE);

        assertThat(export(target)).isEqualTo(backup);
        assertThat(result.section(Sections.USERS).created() + result.section(Sections.USERS).updated()
                + result.section(Sections.USERS).skipped())
                .isEqualTo(data.users().size());
    }

    /** A backup that breaks a rule is refused, and the target database file stays byte for byte the same. */
    @Property(tries = 60)
    void badDocumentLeavesTheDatabaseByteIdentical(@ForAll("userData") UserData data, @ForAll("userData") UserData existing,
                                                   @ForAll("breakage") DocumentBreakage breakage) {
        String backup = export(databaseWith(data));
        String broken = breakage.apply(backup);
        Path target = databaseWith(existing);
        String before = TestDatabases.sha256(target);

        assertThatThrownBy(() -> importInto(target, broken, ImportMode.REPLACE))
                .isInstanceOfAny(InvalidBackupException.class, IncompatibleDatabaseException.class);
        assertThat(TestDatabases.sha256(target)).isEqualTo(before);
    }

    /**
     * A backup with any one byte changed (or cut short at any byte) is refused by import, and the target database
     * file stays byte for byte the same: the digest catches what no other rule would.
     */
    @Property(tries = 60)
    void anyMutatedByteIsRefusedAndTheDatabaseIsUntouched(@ForAll("userData") UserData data,
                                                           @ForAll @IntRange(min = 0, max = 1_000_000) int position,
                                                           @ForAll @IntRange(min = 1, max = 255) int flip,
                                                           @ForAll boolean truncate) {
        byte[] backup = export(databaseWith(data)).getBytes(StandardCharsets.UTF_8);
        int at = position % (backup.length - 1);
        byte[] mutated = truncate ? java.util.Arrays.copyOf(backup, at) : backup.clone();
        if (!truncate) {
            mutated[at] = (byte) (mutated[at] ^ flip);
        }
        Path target = databaseWith(data);
        String before = TestDatabases.sha256(target);

        assertThatThrownBy(() -> Importer.of(DjangoDatabase.sqlite(target)).withMode(ImportMode.REPLACE)
                .importFrom(BackupSource.of(mutated)))
                .isInstanceOf(InvalidBackupException.class);
        assertThat(TestDatabases.sha256(target)).isEqualTo(before);
    }

    @Provide
    Arbitrary<DocumentBreakage> breakage() {
        return DocumentBreakage.all();
    }

    static void unchecked(IOException e) {
        throw new UncheckedIOException(e);
    }
}
