package io.djangouserbackup.core;

import io.djangouserbackup.core.internal.DjangoFixtureWriter;
import io.djangouserbackup.core.internal.DjangoTables;
import io.djangouserbackup.core.internal.DocumentWriter;
import io.djangouserbackup.core.internal.EncryptingOutputStream;
import io.djangouserbackup.core.internal.ExportWriter;
import io.djangouserbackup.core.internal.Rollback;
import io.djangouserbackup.core.internal.RunContext;
import io.djangouserbackup.core.internal.UserSelection;
import io.djangouserbackup.core.internal.SafeFiles;
import io.djangouserbackup.core.mappers.IncludedTableMapper;
import io.djangouserbackup.core.spi.ForeignKey;
import io.djangouserbackup.core.spi.SectionRun;
import io.djangouserbackup.core.spi.Table;
import io.djangouserbackup.core.spi.TableMapper;
import io.djangouserbackup.model.BackupHeader;
import io.djangouserbackup.model.DjangoVersion;
import io.djangouserbackup.model.Row;
import io.djangouserbackup.model.SectionSchema;
import io.djangouserbackup.model.Sections;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * Takes a backup: one consistent snapshot of the database (a single read transaction), streamed row by row into
 * one JSON document. Immutable; {@code with...} returns a copy.
 *
 * <pre>{@code
 * ExportResult result = Exporter.of(DjangoDatabase.sqlite(Path.of("db.sqlite3"))).exportTo(Path.of("backup.json"));
 * }</pre>
 */
public final class Exporter {
    private static final DateTimeFormatter EXPORT_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'");

    /** Django's {@code UNUSABLE_PASSWORD_PREFIX}: no hash starts with it, so no password matches. */
    public static final String UNUSABLE_PASSWORD_PREFIX = "!";
    /** Django's {@code UNUSABLE_PASSWORD_SUFFIX_LENGTH}. */
    public static final int UNUSABLE_PASSWORD_SUFFIX_LENGTH = 40;
    /** Django's {@code RANDOM_STRING_CHARS}, from which the suffix is drawn. */
    private static final String RANDOM_STRING_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DjangoDatabase database;
    private final boolean overwrite;
    private final Clock clock;
    private final boolean redactPasswords;
    private final Encryption encryption;
    private final List<String> users;
    private final ExportFormat format;

    private Exporter(DjangoDatabase database, boolean overwrite, Clock clock, boolean redactPasswords,
                     Encryption encryption) {
        this(database, overwrite, clock, redactPasswords, encryption, List.of(), ExportFormat.BACKUP);
    }

    private Exporter(DjangoDatabase database, boolean overwrite, Clock clock, boolean redactPasswords,
                     Encryption encryption, List<String> users, ExportFormat format) {
        this.database = Objects.requireNonNull(database, "database");
        this.overwrite = overwrite;
        this.clock = clock;
        this.redactPasswords = redactPasswords;
        this.encryption = encryption;
        this.users = List.copyOf(users);
        this.format = Objects.requireNonNull(format, "format");
    }

    /**
     * The same exporter backing up only the named users (an empty collection backs up everyone): their rows with
     * their memberships and direct permissions, the groups and permissions they refer to, the OpenAI models assigned
     * to them (listing only them), and the rows of included tables that belong to them, so that the backup restores
     * on its own. The header marks it partial ({@link BackupHeader#partialUsers()}): an import refuses to replace a
     * database with it. A username the database does not hold is refused, naming it.
     *
     * <pre>{@code
     * Exporter.of(database).withUsers(List.of("alice")).exportTo(Path.of("alice.json"));
     * }</pre>
     */
    public Exporter withUsers(java.util.Collection<String> usernames) {
        return new Exporter(database, overwrite, clock, redactPasswords, encryption,
                usernames.isEmpty() ? List.of() : new UserSelection(usernames).usernames(), format);
    }

    /**
     * The same exporter writing the given format: a backup ({@link ExportFormat#BACKUP}, the default) or Django's
     * JSON fixture for {@code manage.py loaddata} ({@link ExportFormat#DJANGO_FIXTURE}), which is never encrypted
     * (loaddata could not read it).
     *
     * <pre>{@code
     * Exporter.of(database).withFormat(ExportFormat.DJANGO_FIXTURE).exportTo(Path.of("users.json.gz"));
     * }</pre>
     */
    public Exporter withFormat(ExportFormat format) {
        return new Exporter(database, overwrite, clock, redactPasswords, encryption, users, format);
    }

    /** What this exporter writes. */
    public ExportFormat format() {
        return format;
    }

    /** The usernames this exporter backs up, sorted; empty when it backs up everyone. */
    public List<String> users() {
        return users;
    }

    /** An exporter for the database; it refuses to overwrite an existing file. */
    public static Exporter of(DjangoDatabase database) {
        return new Exporter(database, false, Clock.systemUTC(), false, null);
    }

    /** Whether an existing backup file may be replaced. */
    public Exporter withOverwrite(boolean overwrite) {
        return new Exporter(database, overwrite, clock, redactPasswords, encryption, users, format);
    }

    /** The clock that dates the backup (for reproducible tests). */
    public Exporter withClock(Clock clock) {
        return new Exporter(database, overwrite, Objects.requireNonNull(clock, "clock"), redactPasswords, encryption, users, format);
    }

    /**
     * Encrypts the backup with the passphrase (AES-256-GCM in segments, key from PBKDF2 with a fresh salt; see
     * {@link Encryption}); {@code null} writes it unencrypted. A compressed backup is compressed, then encrypted.
     * Read it back with {@link BackupSource#decryptingWith(Encryption)}.
     */
    public Exporter withEncryption(Encryption encryption) {
        return new Exporter(database, overwrite, clock, redactPasswords, encryption, users, format);
    }

    /**
     * Whether to replace every user's password hash with an unusable password, as Django's
     * {@code set_unusable_password()} makes it: {@code "!"} and 40 random letters and digits, different for each
     * user. For sharing data as test fixtures: nobody can log in with a redacted backup's passwords, and no hash
     * leaves the database. A {@code null} password stays {@code null}.
     */
    public Exporter withRedactedPasswords(boolean redactPasswords) {
        return new Exporter(database, overwrite, clock, redactPasswords, encryption, users, format);
    }

    /** A password Django treats as unusable, as {@code make_password(None)} makes it. */
    static String unusablePassword() {
        StringBuilder password = new StringBuilder(UNUSABLE_PASSWORD_PREFIX);
        for (int i = 0; i < UNUSABLE_PASSWORD_SUFFIX_LENGTH; i++) {
            password.append(RANDOM_STRING_CHARS.charAt(RANDOM.nextInt(RANDOM_STRING_CHARS.length())));
        }
        return password.toString();
    }

    /**
     * Writes the backup to a file, atomically: it appears under its name complete or not at all, readable by its
     * owner only. A name ending in {@code .gz} (or {@code .gz.enc}) is gzip-compressed; with
     * {@link #withEncryption(Encryption)} the file is encrypted.
     *
     * @throws BackupException when the database cannot be read or the file cannot be written
     */
    public ExportResult exportTo(Path file) {
        Objects.requireNonNull(file, "file");
        requirePlainFixture();
        String name = file.getFileName().toString();
        boolean compressed = name.endsWith(".gz") || name.endsWith(".gz.enc");
        ExportResult[] result = new ExportResult[1];
        long bytes = SafeFiles.writeAtomically(file, overwrite, compressed,
                encryption == null ? null : encryption::encrypting, out -> result[0] = exportPlain(out, file));
        ExportResult streamed = result[0];
        return new ExportResult(streamed.header(), file, bytes, streamed.rows(), streamed.notes());
    }

    /**
     * Writes the backup to a stream, which stays open, encrypted when an {@link Encryption} is set; the size
     * reported is what was written to it.
     */
    public ExportResult exportTo(OutputStream out) {
        Objects.requireNonNull(out, "out");
        requirePlainFixture();
        if (encryption == null) {
            return exportPlain(out, "the backup");
        }
        CountingOutputStream counting = new CountingOutputStream(out);
        try {
            EncryptingOutputStream encrypted = encryption.encrypting(counting);
            // The encrypting stream buffers a segment; the document writer flushes into it when it finishes.
            ExportResult result = exportPlain(encrypted, "the backup");
            encrypted.finish();
            return new ExportResult(result.header(), null, counting.count, result.rows(), result.notes());
        } catch (IOException e) {
            throw OutputWriteException.of("the backup", e);
        }
    }

    private void requirePlainFixture() {
        if (format == ExportFormat.DJANGO_FIXTURE && encryption != null) {
            throw new IllegalStateException("a Django fixture is not encrypted: loaddata could not read it");
        }
    }

    private ExportResult exportPlain(OutputStream out, Object destination) {
        CountingOutputStream counting = new CountingOutputStream(out);
        try (Handle handle = database.open(true)) {
            database.dialect().beginSnapshot(handle);
            return Rollback.after(handle, () -> export(handle, counting));
        } catch (UncheckedIOException e) {
            throw OutputWriteException.of(destination, e.getCause());
        } catch (BackupException e) {
            if (database.isLocked(e)) {
                throw database.locked(e, "no backup was written (try again when the other program is done)");
            }
            if (database.isConnectionLost(e)) {
                throw database.connectionLost(e, "no backup was written");
            }
            throw e;
        } catch (RuntimeException e) {
            if (database.isLocked(e)) {
                throw database.locked(e, "no backup was written (try again when the other program is done)");
            }
            if (database.isConnectionLost(e)) {
                throw database.connectionLost(e, "no backup was written");
            }
            throw new DatabaseAccessException("reading " + database.description() + " failed: " + DjangoDatabase.rootMessage(e), e);
        }
    }

    /**
     * Notes each column of a built-in section's table (a custom user model's {@code team_id}) that refers to a table
     * the backup does not hold: its values are kept, and a restore into a database without those rows fails when it
     * commits. An included table refuses such a reference itself ({@code IncludedTables}).
     */
    private static void noteReferencesOutside(RunContext context, Map<TableMapper, SectionRun> runs) {
        Set<String> held = new HashSet<>(List.of("auth_group", "auth_permission", "django_content_type"));
        runs.values().forEach(run -> {
            if (run.sourceTable() != null) {
                held.add(run.sourceTable().name().toLowerCase(Locale.ROOT));
            }
        });
        for (Map.Entry<TableMapper, SectionRun> entry : runs.entrySet()) {
            Table table = entry.getValue().sourceTable();
            if (table == null || entry.getKey() instanceof IncludedTableMapper) {
                continue;
            }
            for (ForeignKey key : table.foreignKeys()) {
                if (!held.contains(key.targetTable().toLowerCase(Locale.ROOT))) {
                    context.note(table.name() + "." + key.column() + " refers to table " + key.targetTable() + ", which this"
                            + " backup does not hold: a restore into a database that lacks those rows fails; add --table "
                            + key.targetTable() + " to back it up too");
                }
            }
        }
    }

    private ExportResult export(Handle handle, CountingOutputStream out) {
        RunContext context = new RunContext(handle, database.dialect(), database.userTable(), ImportMode.MERGE);
        context.requireDjango();
        context.userTable();
        DjangoVersion version = DjangoTables.djangoVersion(handle, context.schema());
        Map<TableMapper, SectionRun> runs = new LinkedHashMap<>();
        Map<String, SectionSchema> described = new LinkedHashMap<>();
        for (TableMapper mapper : database.mappersFor(context)) {
            SectionRun run = mapper.start(context);
            runs.put(mapper, run);
            Table table = run.sourceTable();
            if (table != null) {
                Map<String, String> columns = new LinkedHashMap<>();
                table.columns().forEach(c -> columns.put(c.name(), c.declaredType()));
                described.put(mapper.section(), new SectionSchema(table.name(), columns, mapper.describe()));
            }
        }
        noteReferencesOutside(context, runs);
        BackupHeader header = new BackupHeader(BackupHeader.CURRENT_FORMAT,
                EXPORT_DATE.format(clock.instant().truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC)), version,
                database.dialect().name(), described);
        Map<String, Long> rows = new LinkedHashMap<>();
        UserSelection selection = null;
        if (!users.isEmpty()) {
            // Two readings of the same snapshot: the first works out which rows belong to the users, the second
            // writes them.
            selection = new UserSelection(users);
            for (TableMapper mapper : runs.keySet()) {
                if (mapper instanceof IncludedTableMapper included) {
                    selection.describe(mapper.section(), included.shape());
                }
            }
            for (Map.Entry<TableMapper, SectionRun> entry : runs.entrySet()) {
                String section = entry.getKey().section();
                UserSelection scanning = selection;
                entry.getValue().exportRows(row -> scanning.scan(section, row));
            }
            selection.requireAllInDatabase();
            header = header.asPartial(selection.usernames());
        }
        try (ExportWriter writer = format == ExportFormat.DJANGO_FIXTURE ? new DjangoFixtureWriter(out, context)
                : new DocumentWriter(out)) {
            writer.header(header);
            for (Map.Entry<TableMapper, SectionRun> entry : runs.entrySet()) {
                TableMapper mapper = entry.getKey();
                SectionRun run = entry.getValue();
                writer.beginSection(mapper, run.sourceTable());
                long[] count = {0};
                boolean redact = redactPasswords && mapper.section().equals(Sections.USERS);
                UserSelection only = selection;
                run.exportRows(exported -> {
                    Row row = only == null ? exported : only.select(mapper.section(), exported);
                    if (row == null) {
                        return;
                    }
                    try {
                        writer.row(redact && row.get("password") != null ? row.with("password", unusablePassword()) : row);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    count[0]++;
                });
                writer.endSection();
                rows.put(mapper.section(), count[0]);
            }
            writer.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> notes = new ArrayList<>(context.notes());
        if (selection != null) {
            notes.addAll(selection.notes());
        }
        if (redactPasswords) {
            notes.add("password hashes replaced by unusable passwords: nobody can log in with this backup's passwords");
        }
        return new ExportResult(header, null, out.count, rows, notes);
    }

    private static final class CountingOutputStream extends OutputStream {
        private final OutputStream out;
        private long count;

        CountingOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }
    }
}
