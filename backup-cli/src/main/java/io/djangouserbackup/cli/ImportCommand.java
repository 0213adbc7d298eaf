package io.djangouserbackup.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import com.beust.jcommander.ParametersDelegate;
import io.djangouserbackup.core.DjangoDatabase;
import io.djangouserbackup.core.ImportMode;
import io.djangouserbackup.core.ImportPlan;
import io.djangouserbackup.core.ImportReport;
import io.djangouserbackup.core.ImportResult;
import io.djangouserbackup.core.Importer;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code import}: shows what a backup would change, asks, then restores it in one transaction. */
@Parameters(separators = "=", commandNames = "import", commandDescription = "Restore a backup into the database, after showing what"
        + " will change and asking.")
final class ImportCommand extends Command {

    @ParametersDelegate
    DatabaseOptions database = new DatabaseOptions();

    @Parameter(names = {"-m", "--mode"}, description = "merge: add and update the backup's rows, keep the others."
            + " replace: afterwards the users, groups and OpenAI models are exactly the backup's.", order = 20)
    String mode = "merge";

    @Parameter(names = {"-y", "--yes"}, description = "Import without asking (needed when there is no terminal to"
            + " ask on, e.g. in a script or with INPUT -).", order = 21)
    boolean yes;

    @Parameter(names = "--table", description = "With a Django fixture: also restore its rows of this table"
            + " (repeatable), as a backup's included section (a backup describes its own).", order = 24)
    List<String> tables = new java.util.ArrayList<>();

    @Parameter(names = "--all-user-tables", description = "With a Django fixture: also restore its rows of every"
            + " table tied to users, as export --all-user-tables finds them.", order = 25)
    boolean allUserTables;

    @Parameter(names = "--dry-run", description = "Check everything and print what would change; write nothing.",
            order = 22)
    boolean dryRun;

    @Parameter(names = "--report", description = "With --dry-run: text (default) or json, a machine-readable report on"
            + " standard output.", order = 23)
    String report = "text";

    @Parameter(description = "INPUT")
    List<String> arguments = new ArrayList<>();

    @Override
    List<String> arguments() {
        return arguments;
    }

    @ParametersDelegate
    UserOptions users = new UserOptions();

    @ParametersDelegate
    PassphraseOptions passphrase = new PassphraseOptions();

    private static final String USAGE = "import [--db PATH | --url URL] [--mode merge|replace] [--yes] [--dry-run [--report text|json]]"
            + " [--user USERNAME]... [--users-from FILE] [--passphrase-file FILE | --passphrase-env NAME]"
            + " [--table NAME]... [--all-user-tables] INPUT";
    private static final String DETAILS = """
            INPUT is a backup file, plain, gzip-compressed or encrypted; - reads it from standard input. The whole
            backup is checked against the database first, nothing written; then it is written in one
            transaction, so a failure leaves the database as it was. Before writing, the command prints how
            many rows will be created, updated and (with --mode replace) removed, naming the first 20 rows a
            replace removes and anything the backup lacks or has of another kind (another Django schema, no
            OpenAI models, ids under other usernames), and asks "Proceed? [y/N]" on the terminal (/dev/tty,
            also when the backup comes through a pipe); anything but y or yes leaves the database untouched.
            A replace that would leave rows of other tables (django_admin_log, ...) pointing at removed rows is
            refused before the prompt, naming them (exit 5). Ctrl-C at any point imports nothing (exit 130).

            INPUT may also be a Django fixture (manage.py dumpdata output, a JSON list; .json, .json.gz or -):
            users, groups, permissions, content types and OpenAI models, with or without --natural-foreign and
            --natural-primary, imported like a backup (users matched by username and groups by name when the
            fixture has no ids for them). --table NAME (repeatable) and --all-user-tables also restore its rows
            of those tables (authtoken.token is authtoken_token), as a backup's included sections. Other models
            are refused by name; permission ids without natural keys only where they mean the same permission in
            this database.

            --user USERNAME (repeatable) or --users-from FILE (one username a line) restores only those users:
            their rows, group memberships, direct permissions, OpenAI model assignments and the rows of
            included tables that belong to them. Groups, permissions and OpenAI models they need are created
            when missing; existing ones, and every other user, stay exactly as they are. A user who is gone
            comes back with the backup's id (refused if another user has it now). A username the backup lacks
            is refused (exit 4) before anything is written. It always merges; a partial backup (export
            --user) is never imported with --mode replace.

            --dry-run writes nothing and lists every user, group and OpenAI model as created, updated (with
            the names of the fields that change; a password only as "password", never its value; a rename
            as "username: alice -> frank"), unchanged or (replace) removed. --report json prints the same as
            one JSON object for scripts.

            An encrypted backup (export --encrypt) is decrypted on the way; its passphrase comes from
            --passphrase-file FILE (first line), else the environment variable --passphrase-env names, else
            DJANGO_USER_BACKUP_PASSPHRASE, else a prompt on the terminal (/dev/tty, whatever standard input
            and output are). A wrong passphrase is refused (exit 4) before anything is read or written.

            Examples:
              django-user-backup import user_data_backup_20260102_030405.json
              django-user-backup import --dry-run --mode replace --report json backup.json | jq .
              django-user-backup import --db /srv/app/db.sqlite3 --mode replace --yes /backups/users.json.gz
              django-user-backup import --user alice --dry-run /backups/users.json.gz
              django-user-backup import --passphrase-file ~/.backup-passphrase --yes users.json.enc
            """;

    ImportCommand() {
        super("import", USAGE, DETAILS, "nothing was imported");
    }

    @Override
    int run(Context context) {
        if (arguments.size() != 1) {
            throw CliFailure.usage(arguments.isEmpty() ? "import needs the backup to read (INPUT, or - for standard input)"
                    : "import takes one INPUT, got " + arguments.size());
        }
        String input = arguments.get(0);
        Interrupts.consequence("nothing was imported");
        ImportMode importMode = parseMode(mode);
        boolean json = parseReport(report);
        DjangoDatabase db;
        try {
            db = database.resolve(context.env()).withTables(tables).withAllUserTables(allUserTables);
        } catch (IllegalArgumentException e) {
            throw CliFailure.usage("--table: " + e.getMessage());
        }
        List<String> selected = users.usernames(context.env());
        if (!selected.isEmpty() && importMode == ImportMode.REPLACE) {
            throw CliFailure.usage("--user and --users-from restore some users into the others (merge);"
                    + " --mode replace would remove everyone else");
        }
        Importer importer = Importer.of(db).withMode(importMode).withUsers(selected);
        boolean fromStdin = input.equals(Stdin.DASH);
        Path spooled = null;
        try {
            FileSource source;
            if (fromStdin) {
                spooled = Stdin.spool(context.in(), context.env().tempDirectory());
                source = new FileSource(spooled, "standard input");
            } else {
                source = new FileSource(context.env().resolve(input), input);
            }
            try (FileSource.Readable readable = source.readable(context, passphrase, context.canAskSecret(fromStdin))) {
                if (dryRun) {
                    ImportReport rows;
                    try (Progress progress = context.progress(() -> "checking " + input + " " + source.percentRead())) {
                        rows = importer.report(readable.source());
                    }
                    if (json) {
                        Reports.json(context.out(), rows, source.description(), db.description());
                    } else {
                        printPlan(context.out(), rows.plan(), source, db, selected);
                        for (String line : Reports.rowLines(rows.rows())) {
                            context.out().println(line);
                        }
                    }
                    context.notes(rows.plan().notes());
                    return ExitCodes.OK;
                }
                if (!yes) {
                    ImportPlan plan;
                    try (Progress progress = context.progress(() -> "checking " + input + " " + source.percentRead())) {
                        plan = importer.plan(readable.source());
                    }
                    boolean canAsk = context.canAskSecret(fromStdin);
                    if (canAsk || !context.quiet()) {
                        // The person asked must see what they agree to, --quiet or not.
                        printPrompt(context.err(), plan, source, db, selected);
                    }
                    context.notes(plan.notes());
                    confirm(context, fromStdin);
                }
                ImportResult result;
                try (Progress progress = context.progress(() -> (source.passes() <= 1 ? "checking " : "importing ")
                        + input + " " + source.percentRead())) {
                    result = Interrupts.handledByCommand(() -> importer.importFrom(readable.source()));
                } catch (RuntimeException e) {
                    if (Interrupts.requested()) {
                        throw new CliFailure(ExitCodes.INTERRUPTED, "interrupted: nothing was imported", e);
                    }
                    throw e;
                }
                Interrupts.consequence("the import was complete already");
                context.notes(result.notes());
                if (!context.quiet()) {
                    context.out().println("Imported " + source.description() + " into " + db.description() + " ("
                            + Reports.mode(importMode) + "): " + Reports.importCounts(result.sections()));
                }
                return ExitCodes.OK;
            }
        } finally {
            Stdin.delete(spooled);
        }
    }

    private boolean parseReport(String value) {
        switch (value.toLowerCase(Locale.ROOT)) {
            case "text":
                return false;
            case "json":
                if (!dryRun) {
                    throw CliFailure.usage("--report json goes with --dry-run");
                }
                return true;
            default:
                throw CliFailure.usage("--report is text or json, not '" + value + "'");
        }
    }

    private static ImportMode parseMode(String mode) {
        switch (mode.toLowerCase(Locale.ROOT)) {
            case "merge":
                return ImportMode.MERGE;
            case "replace":
                return ImportMode.REPLACE;
            default:
                throw CliFailure.usage("--mode is merge or replace, not '" + mode + "'");
        }
    }

    private static void printPlan(PrintStream to, ImportPlan plan, FileSource source, DjangoDatabase db, List<String> selected) {
        String only = selected.isEmpty() ? "" : " (only users " + String.join(", ", selected) + ")";
        to.println((plan.mode() == ImportMode.REPLACE ? "Replacing" : "Merging") + " " + source.description() + only + " ("
                + Reports.origin(plan.header()) + ") into " + db.description() + ":");
        for (String line : Reports.planLines(plan.sections(), plan.mode())) {
            to.println(line);
        }
    }

    /** The plan, then who a replace removes: what the person asked agrees to. */
    private static void printPrompt(PrintStream to, ImportPlan plan, FileSource source, DjangoDatabase db,
                                    List<String> selected) {
        printPlan(to, plan, source, db, selected);
        for (String line : Reports.removedLines(plan)) {
            to.println(line);
        }
    }

    /** Asks on the terminal; returns only when the answer is yes. */
    private static void confirm(Context context, boolean fromStdin) {
        if (fromStdin && context.terminal() != null && !context.canAskSecret(true)) {
            throw new CliFailure(ExitCodes.DECLINED, "not imported: standard input holds the backup, so the answer"
                    + " cannot be read from it; pass --yes to import without asking");
        }
        if (!context.canAskSecret(fromStdin)) {
            throw new CliFailure(ExitCodes.DECLINED, "not imported: there is no terminal to ask for confirmation;"
                    + " pass --yes to import without asking");
        }
        String answer = context.ask("Proceed? [y/N] ");
        if (answer == null) {
            context.err().println();
        }
        String normalized = answer == null ? "" : answer.strip().toLowerCase(Locale.ROOT);
        if (!normalized.equals("y") && !normalized.equals("yes")) {
            throw new CliFailure(ExitCodes.DECLINED, "not imported; the database was not changed");
        }
    }
}
