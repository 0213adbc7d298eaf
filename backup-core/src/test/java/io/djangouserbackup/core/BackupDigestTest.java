package io.djangouserbackup.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.djangouserbackup.core.internal.ContentDigest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** Every backup carries the SHA-256 of its content; a backup whose bytes changed, or that lacks it, is refused. */
class BackupDigestTest {
    private static final Pattern DIGEST = Pattern.compile(",\n  \"sha256\": \"([0-9a-f]{64})\"\n}\n\\z");
    private static Path dir;
    private static byte[] backup;

    @BeforeContainer
    static void exportOnce() throws IOException {
        dir = Files.createTempDirectory("dub-digest");
        Path db = TestDatabases.create(dir, "db.sqlite3", TestDatabases.AUTH_USER);
        TestDatabases.insertUser(db, 1, "alice", "pbkdf2_sha256$1$a$b");
        TestDatabases.insertUser(db, 2, "bøb \u2603", "pbkdf2_sha256$1$c$d");
        TestDatabases.addToGroup(db, 2, "editors");
        TestDatabases.grant(db, 1, "view_user");
        TestDatabases.insertModel(db, 1, "gpt-4o", 0.7, 1, 2);
        backup = ExportImportProperties.export(db).getBytes(StandardCharsets.UTF_8);
    }

    @AfterContainer
    static void deleteFolder() throws IOException {
        io.djangouserbackup.core.internal.SafeFiles.deleteTree(dir);
    }

    private static VerifyResult verify(byte[] document) {
        return Verifier.standard().verify(BackupSource.of(document));
    }

    /** The last field is the SHA-256 of every byte up to the ] closing the last section, as documented. */
    @Property(tries = 1)
    void theDigestIsTheSha256OfEveryByteBeforeIt() {
        String text = new String(backup, StandardCharsets.UTF_8);
        Matcher digest = DIGEST.matcher(text);
        assertThat(digest.find()).as(text).isTrue();
        byte[] content = text.substring(0, digest.start()).getBytes(StandardCharsets.UTF_8);
        assertThat(content[content.length - 1]).isEqualTo((byte) ']');

        String expected = ContentDigest.hex(ContentDigest.newSha256().digest(content));

        assertThat(digest.group(1)).isEqualTo(expected);
        assertThat(verify(backup).sha256()).isEqualTo(expected);
        assertThat(BackupDigest.seal(text)).isEqualTo(text);
    }

    /**
     * Changing any one byte of the document (but the final newline) makes verify refuse it. The one change that
     * is not refused, and need not be: whitespace for other whitespace after the digested content (around the
     * {@code sha256} field), which leaves the same JSON with the same data.
     */
    @Property(tries = 300)
    void anyChangedByteIsRefused(@ForAll @IntRange(min = 0, max = 100_000) int position,
                                 @ForAll @IntRange(min = 1, max = 255) int flip) {
        byte[] changed = backup.clone();
        int at = position % (changed.length - 1);
        changed[at] = (byte) (changed[at] ^ flip);
        int trailer = new String(backup, StandardCharsets.ISO_8859_1).lastIndexOf(",\n  \"sha256\"") + 1;
        net.jqwik.api.Assume.that(at < trailer || !isJsonWhitespace(backup[at]) || !isJsonWhitespace(changed[at]));

        assertThatThrownBy(() -> verify(changed)).isInstanceOf(InvalidBackupException.class);
    }

    private static boolean isJsonWhitespace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }

    /** Every proper prefix of a backup is refused, wherever the cut falls. */
    @Property(tries = 200)
    void everyTruncationIsRefused(@ForAll @IntRange(min = 0, max = 100_000) int length) {
        byte[] cut = java.util.Arrays.copyOf(backup, length % (backup.length - 1));

        assertThatThrownBy(() -> verify(cut)).isInstanceOf(InvalidBackupException.class);
    }

    /** Cutting the whole digest field off leaves valid JSON, which is refused with a message that says why. */
    @Property(tries = 1)
    void aBackupWithoutDigestIsRefusedWithAHint() {
        String text = new String(backup, StandardCharsets.UTF_8);
        String bare = DIGEST.matcher(text).replaceFirst("\n}\n");

        assertThatThrownBy(() -> verify(bare.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidBackupException.class)
                .hasMessageStartingWith("sha256: missing: the backup carries no digest of its content")
                .hasMessageContaining("BackupDigest.seal");
        assertThat(verify(BackupDigest.seal(bare).getBytes(StandardCharsets.UTF_8)).sha256())
                .isEqualTo(verify(backup).sha256());
    }

    /** A section after the digest would be outside what it covers. */
    @Property(tries = 1)
    void nothingMayFollowTheDigest() {
        String text = new String(backup, StandardCharsets.UTF_8);
        String extended = text.substring(0, text.lastIndexOf('}')) + ",\n  \"extra\": []\n}\n";

        assertThatThrownBy(() -> verify(extended.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidBackupException.class)
                .hasMessage("sha256: must be the last field, but extra follows it");
    }

    /** A mapper's section cannot be called sha256 (or any other field of the backup itself). */
    @Property(tries = 1)
    void noSectionMayTakeTheDigestsName() {
        DjangoDatabase database = DjangoDatabase.sqlite(dir.resolve("any.sqlite3"));

        assertThatThrownBy(() -> database.withMapper(new io.djangouserbackup.core.mappers.ModelTableMapper("sha256", "x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("section name sha256 is a field of the backup itself");
    }

    /** A row changed by hand and the old digest kept: verify and import both refuse it, naming the digest. */
    @Property(tries = 1)
    void aTamperedRowIsRefusedByImportToo() {
        String text = new String(backup, StandardCharsets.UTF_8).replace("\"username\":\"alice\"", "\"username\":\"mallory\"");
        Path target = TestDatabases.create(dir, "target.sqlite3", TestDatabases.AUTH_USER);
        String before = TestDatabases.sha256(target);

        assertThatThrownBy(() -> ExportImportProperties.importInto(target, text, ImportMode.MERGE))
                .isInstanceOf(InvalidBackupException.class)
                .hasMessage("sha256: the content does not match its digest: the file was changed or damaged after it was written");
        assertThat(TestDatabases.sha256(target)).isEqualTo(before);
    }

    /** The digest is of the JSON, so a compressed backup carries the same one and verifies. */
    @Property(tries = 1)
    void aCompressedBackupCarriesTheDigestOfItsJson() throws IOException {
        Path db = TestDatabases.create(dir, "gz.sqlite3", TestDatabases.AUTH_USER);
        TestDatabases.insertUser(db, 1, "alice", "pbkdf2_sha256$1$a$b");
        Path file = dir.resolve("backup.json.gz");
        Exporter.of(DjangoDatabase.sqlite(db)).exportTo(file);

        byte[] json;
        try (var in = BackupSource.of(file).open()) {
            json = in.readAllBytes();
        }
        assertThat(Verifier.standard().verify(BackupSource.of(file)).sha256()).isEqualTo(verify(json).sha256());
    }
}
