package io.djangouserbackup.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import com.beust.jcommander.ParametersDelegate;
import io.djangouserbackup.core.BackupRetention;
import io.djangouserbackup.core.DjangoDatabase;
import io.djangouserbackup.core.Encryption;
import io.djangouserbackup.core.ExportFormat;
import io.djangouserbackup.core.ExportResult;
import io.djangouserbackup.core.Exporter;
import io.djangouserbackup.core.OutputExistsException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** {@code export}: the database to one backup file, or to standard output. */
@Parameters(separators = "=", commandNames = "export", commandDescription = "Back up users, groups, permissions and OpenAI models to"
        + " a JSON file.")
final class ExportCommand extends Command {
    private static final DateTimeFormatter DEFAULT_NAME =
            DateTimeFormatter.ofPattern("'user_data_backup_'yyyyMMdd'_'HHmmss'.json'");
    /** The name an encrypted backup gets by default, and that only an encrypted backup may have. */
    static final String ENCRYPTED_SUFFIX = ".enc";

    @ParametersDelegate
    DatabaseOptions database = new DatabaseOptions();

    @Parameter(names = {"-f", "--force"}, description = "Replace OUTPUT if it exists.", order = 20)
    boolean force;

    @Parameter(names = "--redact-passwords", description = "Replace every password hash with an unusable password"
            + " (Django's \"!\" and 40 random characters), for sharing data as test fixtures.", order = 21)
    boolean redactPasswords;

    @Parameter(names = "--table", description = "Also back up this table (repeatable): every column, rows by primary key,"
            + " references checked on import. The backup describes it, so import and verify need no option.", order = 22)
    List<String> tables = new ArrayList<>();

    @Parameter(names = "--all-user-tables", description = "Also back up every table tied to users (a foreign key to the"
            + " user table, directly, through a many-to-many table or another included table), except django_admin_log"
            + " and django_session.", order = 23)
    boolean allUserTables;

    @Parameter(names = "--format", description = "backup (the default): this tool's backup document; django: Django's"
            + " JSON fixture with natural keys, for manage.py loaddata.", order = 24)
    String format = "backup";

    @Parameter(names = "--encrypt", description = "Encrypt the backup with a passphrase (AES-256-GCM, key from"
            + " PBKDF2-HMAC-SHA256 with 600,000 iterations); import and verify decrypt it.", order = 30)
    boolean encrypt;

    @Parameter(names = "--allow-short-passphrase", description = "Accept a passphrase shorter than "
            + PassphraseOptions.MIN_LENGTH + " characters, for throwaway test data only.", order = 33)
    boolean allowShortPassphrase;

    @ParametersDelegate
    UserOptions users = new UserOptions();
    private List<String> selectedUsers = List.of();

    @ParametersDelegate
    PassphraseOptions passphrase = new PassphraseOptions();

    @Parameter(names = "--keep", description = "After a successful export, delete the oldest backups in OUTPUT's"
            + " folder named user_data_backup_YYYYMMDD_HHMMSS.json[.gz][.enc] beyond the newest N (the new one"
            + " counts); never any other file.", order = 22)
    Integer keep;

    @Parameter(description = "[OUTPUT]")
    List<String> arguments = new ArrayList<>();

    @Override
    List<String> arguments() {
        return arguments;
    }

    private static final String USAGE = "export [--db PATH | --url URL] [--force] [--format backup|django] [--redact-passwords] [--table NAME]..."
            + " [--all-user-tables]"
            + " [--user USERNAME]... [--users-from FILE] [--encrypt [--passphrase-file FILE | --passphrase-env NAME]] [--keep N]"
            + " [OUTPUT]";
    private static final String DETAILS = """
            OUTPUT defaults to user_data_backup_YYYYMMDD_HHMMSS.json in the current folder (with _2, _3...
            before .json when a backup of that second exists). A name ending
            in .gz is gzip-compressed; - writes the backup to standard output. The file is written atomically
            (it appears complete or not at all) and readable by its owner only: it holds password hashes.
            --redact-passwords writes an unusable password for every user instead (nobody can log in with
            them), for sharing the data as test fixtures.

            --table NAME (repeatable) adds a table as a section of its own; --all-user-tables adds every
            table tied to users (tokens, e-mail addresses, 2FA devices, object permissions, profiles), except
            django_admin_log and django_session. Foreign keys to permissions and content types are written as
            natural keys; a reference to a table that is not included is refused, naming the option to add.

            --user USERNAME (repeatable) or --users-from FILE (one username a line) backs up only those
            users, with the groups, permissions and OpenAI models they refer to (listing only them) and the
            rows of included tables that belong to them, so the file restores on its own. Its header marks
            it partial: import refuses it with --mode replace, which would remove everyone else. It needs an
            OUTPUT name and does not go with --keep (the default names are for full backups).

            --format django writes Django's JSON fixture instead, for manage.py loaddata: the same data,
            as dumpdata --natural-foreign --natural-primary writes it (users by username, groups by name,
            permissions as [codename, app_label, model], content types as [app_label, model]), so it
            loads into any migrated database whatever its ids; the OpenAI model table and included tables
            keep their primary keys. Datetimes keep every microsecond. Not with --encrypt or --keep.

            --encrypt encrypts the backup (compressed first for a name ending in .gz or .gz.enc; the default
            name ends in .json.enc; .enc is added to a name without it, with a note). The passphrase, at least
            12 characters, comes from --passphrase-file FILE (its first line), else
            the environment variable --passphrase-env names, else DJANGO_USER_BACKUP_PASSPHRASE, else it is
            asked twice on the terminal; never from the command line. Without the passphrase the backup
            cannot be restored by anyone: keep it safe, apart from the backup. docs/ENCRYPTION.md has the format.

            --keep N, after the backup is written, deletes the oldest backups of its folder whose names are
            user_data_backup_YYYYMMDD_HHMMSS.json with optional .gz and .enc (the default names; the time in
            the name says which are oldest), so that the newest N remain, the new one included; each deleted
            file is named. Other files are never touched, nor is anything when the export fails.

            Examples:
              django-user-backup export
              django-user-backup export --db /srv/app/db.sqlite3 /backups/users.json.gz
              django-user-backup export --redact-passwords fixtures/users.json
              django-user-backup export --table authtoken_token --table account_emailaddress
              django-user-backup export --all-user-tables /backups/users.json.gz
              django-user-backup export --user alice --user bob alice-and-bob.json
              django-user-backup export --format django --all-user-tables fixtures/users.json
              django-user-backup export --encrypt --passphrase-file ~/.backup-passphrase /backups/users.json.gz.enc
              cd /backups && django-user-backup export --db /srv/app/db.sqlite3 --keep 14
              DATABASE_URL=sqlite:////srv/app/db.sqlite3 django-user-backup export - | gpg -e -r ops > users.json.gpg
            """;

    ExportCommand() {
        super("export", USAGE, DETAILS, "no backup was written");
    }

    @Override
    int run(Context context) {
        if (arguments.size() > 1) {
            throw CliFailure.usage("export takes one OUTPUT, got " + arguments.size());
        }
        Env env = context.env();
        ExportFormat exportFormat = switch (format) {
            case "backup" -> ExportFormat.BACKUP;
            case "django" -> ExportFormat.DJANGO_FIXTURE;
            default -> throw CliFailure.usage("--format takes backup or django, not " + format);
        };
        if (exportFormat == ExportFormat.DJANGO_FIXTURE && (encrypt || keep != null)) {
            throw CliFailure.usage("--format django does not go with " + (encrypt ? "--encrypt" : "--keep")
                    + (encrypt ? ": manage.py loaddata reads plain JSON" : ": --keep counts backups"));
        }
        this.exportFormat = exportFormat;
        defaultName = arguments.isEmpty();
        String output = defaultName ? freeDefaultName(env, 1) : arguments.get(0);
        if (encrypt && !output.equals(Stdin.DASH) && !output.endsWith(ENCRYPTED_SUFFIX)) {
            // An encrypted backup under a plain name looks like one anybody can read, and import tells them apart
            // by content only after opening it.
            output = output + ENCRYPTED_SUFFIX;
            context.notes(List.of("--encrypt: writing " + output + " (an encrypted backup's name ends in "
                    + ENCRYPTED_SUFFIX + ")"));
        }
        String forgotten = env.variable(PassphraseOptions.DEFAULT_VARIABLE);
        if (!encrypt && forgotten != null && !forgotten.isEmpty()) {
            context.notes(List.of(PassphraseOptions.DEFAULT_VARIABLE + " is set, but --encrypt was not given: this backup"
                    + " is not encrypted"));
        }
        if (output.equals(Stdin.DASH) && context.interactive()) {
            throw CliFailure.usage("not writing the backup to a terminal: it holds password hashes;"
                    + " redirect standard output or name a file");
        }
        boolean partial = !users.users.isEmpty() || users.usersFrom != null;
        if (partial && (arguments.isEmpty() || keep != null)) {
            // The default names are full backups': --keep counts them, and a partial one must never push one out.
            throw CliFailure.usage("a partial backup (--user, --users-from) needs its own OUTPUT name and does not go"
                    + " with --keep: the default names are for full backups, which --keep counts");
        }
        if (keep != null && keep < 1) {
            throw CliFailure.usage("--keep needs a number of backups to keep, 1 or more, not " + keep);
        }
        if (keep != null && output.equals(Stdin.DASH)) {
            throw CliFailure.usage("--keep deletes old backups in OUTPUT's folder; it does not go with - (standard"
                    + " output)");
        }
        if (!encrypt && passphrase.given()) {
            throw CliFailure.usage("--passphrase-file and --passphrase-env go with --encrypt");
        }
        if (!encrypt && output.endsWith(ENCRYPTED_SUFFIX)) {
            throw CliFailure.usage(output + " ends in " + ENCRYPTED_SUFFIX + ", but --encrypt was not given; add it,"
                    + " or choose another name");
        }
        Interrupts.consequence(output.equals(Stdin.DASH) ? "the backup on standard output is incomplete"
                : "no backup was written");
        DjangoDatabase db;
        try {
            db = database.resolve(env).withTables(tables).withAllUserTables(allUserTables);
        } catch (IllegalArgumentException e) {
            throw CliFailure.usage("--table: " + e.getMessage());
        }
        if (!output.equals(Stdin.DASH)) {
            checkOutput(context, output);
        }
        // Read before a passphrase is asked, so that a bad --users-from fails first.
        selectedUsers = users.usernames(env);
        Encryption encryption = encrypt
                ? passphrase.encryption(context, "the backup", context.canAskSecret(false), true,
                        allowShortPassphrase ? 1 : PassphraseOptions.MIN_LENGTH)
                : null;
        try {
            int code = export(context, db, output, encryption);
            if (keep != null) {
                keepNewest(context, env.resolve(written));
            }
            return code;
        } finally {
            if (encryption != null) {
                encryption.close();
            }
        }
    }

    private boolean defaultName;
    private ExportFormat exportFormat = ExportFormat.BACKUP;
    /** The name the backup was written under: OUTPUT, or the next free default name. */
    private String written;

    /**
     * {@code user_data_backup_YYYYMMDD_HHMMSS.json}, or with {@code _2}, {@code _3}... before the extension when a
     * backup of this second exists already, so that a loop of exports never fails on the name.
     */
    private String freeDefaultName(Env env, int from) {
        String stamp = LocalDateTime.now(env.clock()).format(DEFAULT_NAME);
        String base = stamp.substring(0, stamp.length() - ".json".length());
        String extension = ".json" + (encrypt ? ENCRYPTED_SUFFIX : "");
        for (int n = from; ; n++) {
            String name = base + (n == 1 ? "" : "_" + n) + extension;
            if (!Files.exists(env.resolve(name))) {
                return name;
            }
        }
    }

    /** Refuses a file that cannot be written before anything is asked or read. */
    private void checkOutput(Context context, String output) {
        Path file = context.env().resolve(output);
        Path folder = file.getParent();
        if (folder != null && !Files.isDirectory(folder)) {
            // The same line as when the folder vanishes during the export (exit 6), but before anything is asked.
            throw new CliFailure(ExitCodes.OUTPUT, "could not write " + output + ": "
                    + (Files.exists(folder) ? "not a folder" : "no such folder") + "; no backup was written");
        }
        if (!force && Files.exists(file)) {
            throw new CliFailure(ExitCodes.USAGE, output + " already exists; choose another name or pass --force"
                    + " to replace it");
        }
    }

    private int export(Context context, DjangoDatabase db, String output, Encryption encryption) {
        Env env = context.env();
        Exporter exporter = Exporter.of(db).withOverwrite(force).withRedactedPasswords(redactPasswords)
                .withEncryption(encryption).withUsers(selectedUsers).withFormat(exportFormat);
        if (output.equals(Stdin.DASH)) {
            ExportResult result = exporter.exportTo(new FilterOutputStream(context.out()) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void close() {
                    // Standard output stays open.
                }
            });
            context.out().flush();
            if (context.out().checkError()) {
                // The print stream keeps the operating system's reason to itself: name the likely ones.
                throw new CliFailure(ExitCodes.OUTPUT, "could not write the backup to standard output (a full disk, or a"
                        + " pipe closed early); the backup there is incomplete");
            }
            context.notes(result.notes());
            if (!context.quiet()) {
                context.err().println(summary(result, db, "standard output", encryption != null));
            }
            return ExitCodes.OK;
        }
        ExportResult result;
        while (true) {
            Path file = env.resolve(output);
            String name = output;
            try (Progress progress = context.progress(() -> "exporting " + db.description() + " to " + name)) {
                result = exporter.exportTo(file);
                break;
            } catch (OutputExistsException e) {
                if (!defaultName) {
                    throw new CliFailure(ExitCodes.USAGE, output + " already exists; choose another name or pass --force"
                            + " to replace it", e);
                }
                // Another export took this second's name meanwhile: the next suffix.
                output = freeDefaultName(env, 2);
            }
        }
        written = output;
        context.notes(result.notes());
        if (!context.quiet()) {
            context.out().println(summary(result, db, output, encryption != null));
        }
        return ExitCodes.OK;
    }

    /** {@code --keep}: after a successful export, deletes the folder's oldest default-named backups. */
    private void keepNewest(Context context, Path written) {
        Path folder = written.toAbsolutePath().getParent();
        List<Path> deleted;
        try {
            deleted = BackupRetention.keepNewest(keep).prune(folder, written);
        } catch (java.io.UncheckedIOException e) {
            throw new CliFailure(ExitCodes.UNEXPECTED, "the backup was written, but --keep " + keep
                    + " could not delete the old ones: " + e.getMessage(), e);
        }
        if (!context.quiet()) {
            for (Path file : deleted) {
                context.out().println("Deleted old backup " + file + " (--keep " + keep + ")");
            }
        }
    }

    private static String summary(ExportResult result, DjangoDatabase db, String where, boolean encrypted) {
        String partial = result.header().isPartial() ? "users " + String.join(", ", result.header().partialUsers()) + ": " : "";
        return "Exported " + partial + Reports.rowCounts(result.rows()) + " from " + db.description() + " to " + where + " ("
                + Reports.size(result.bytes()) + (encrypted ? ", encrypted" : "") + (result.header().isPartial() ? ", partial" : "")
                + ")";
    }
}
