package io.djangouserbackup.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import com.beust.jcommander.ParametersDelegate;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.djangouserbackup.core.DiffResult;
import io.djangouserbackup.core.Differ;
import io.djangouserbackup.core.RowChange;
import io.djangouserbackup.core.SectionCounts;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code diff}: what changed between two backups, row by row, without any database. The comparison is core's. */
@Parameters(separators = "=", commandNames = "diff", commandDescription = "Show what changed between two backups,"
        + " per row and field, without any database.")
final class DiffCommand extends Command {

    @Parameter(names = "--report", description = "text (default), or json: one machine-readable JSON object on standard"
            + " output.", order = 23)
    String report = "text";

    @Parameter(description = "OLD NEW")
    List<String> arguments = new ArrayList<>();

    @Override
    List<String> arguments() {
        return arguments;
    }

    @ParametersDelegate
    PassphraseOptions passphrase = new PassphraseOptions();

    private static final String USAGE = "diff [--report text|json] [--passphrase-file FILE | --passphrase-env NAME] OLD NEW";
    private static final String DETAILS = """
            Compares every section of two backups (users, groups, permissions, OpenAI models and any other
            table a backup holds) and lists each row of NEW that OLD lacks as created, each row whose values
            differ as updated (with the names of the fields that change; a password only as "password",
            never its value) and each row of OLD that NEW lacks as removed, in the words of import --dry-run.
            Rows are matched by id (groups by name, permissions by app_label.model.codename). The export date
            and other header fields are not compared. Both backups must be whole (their SHA-256 digests match).

            Exit codes: 0 the backups hold the same data, 7 they differ, 4 either is not a valid backup (or
            its passphrase is wrong). OLD and NEW may be gzip-compressed or encrypted (one passphrase for
            both: --passphrase-file, --passphrase-env, DJANGO_USER_BACKUP_PASSPHRASE, or asked on the
            terminal); - reads one of them from standard input.

            Examples:
              django-user-backup diff /backups/user_data_backup_20260101_030000.json.gz /backups/user_data_backup_20260102_030000.json.gz
              django-user-backup diff --report json monday.json tuesday.json | jq '.rows[] | select(.section == "users")'
            """;

    DiffCommand() {
        super("diff", USAGE, DETAILS, "nothing was compared");
    }

    @Override
    int run(Context context) {
        if (arguments.size() != 2) {
            throw CliFailure.usage("diff needs two backups, OLD and NEW, got " + arguments.size());
        }
        boolean json = switch (report.toLowerCase(Locale.ROOT)) {
            case "text" -> false;
            case "json" -> true;
            default -> throw CliFailure.usage("--report is text or json, not '" + report + "'");
        };
        if (arguments.get(0).equals(Stdin.DASH) && arguments.get(1).equals(Stdin.DASH)) {
            throw CliFailure.usage("only one of OLD and NEW can be - (standard input)");
        }
        List<Path> spooled = new ArrayList<>();
        try {
            FileSource older = source(context, arguments.get(0), spooled);
            FileSource newer = source(context, arguments.get(1), spooled);
            DiffResult diff;
            try (FileSource.Readable olderReadable = older.readable(context, passphrase, canAsk(context, arguments.get(0)));
                 FileSource.Readable newerReadable = newer.readable(context, passphrase, canAsk(context, arguments.get(1)));
                 Progress progress = context.progress(() -> "comparing " + older.description() + " "
                         + older.percentRead() + " with " + newer.description() + " " + newer.percentRead())) {
                diff = Differ.standard().diff(olderReadable.source(), newerReadable.source());
            }
            if (json) {
                json(context.out(), diff, older.description(), newer.description());
            } else if (!context.quiet()) {
                text(context.out(), diff, older.description(), newer.description());
            }
            return diff.identical() ? ExitCodes.OK : ExitCodes.DIFFERENT;
        } finally {
            spooled.forEach(Stdin::delete);
        }
    }

    private static boolean canAsk(Context context, String argument) {
        return context.interactive() && !argument.equals(Stdin.DASH);
    }

    private static FileSource source(Context context, String argument, List<Path> spooled) {
        if (argument.equals(Stdin.DASH)) {
            Path file = Stdin.spool(context.in(), context.env().tempDirectory());
            spooled.add(file);
            return new FileSource(file, "standard input");
        }
        return new FileSource(context.env().resolve(argument), argument);
    }

    /** The changed rows as a dry run lists them, then one line of counts, or one line saying they are equal. */
    private static void text(PrintStream out, DiffResult diff, String older, String newer) {
        out.println("Comparing " + older + " (" + Reports.origin(diff.older()) + ")");
        out.println("     with " + newer + " (" + Reports.origin(diff.newer()) + "):");
        if (diff.identical()) {
            out.println("the same data: " + counts(diff, false));
            return;
        }
        String section = null;
        for (RowChange row : inReportOrder(diff)) {
            if (!row.section().equals(section)) {
                section = row.section();
                out.println(Reports.label(section) + ":");
            }
            out.println(String.format(Locale.ROOT, "  %-9s %s", row.change().name().toLowerCase(Locale.ROOT),
                    describe(row)));
        }
        out.println("Differences: " + counts(diff, true));
    }

    /** The changed rows with the sections in report order (users first), each section's rows in the diff's order. */
    private static List<RowChange> inReportOrder(DiffResult diff) {
        List<String> order = Reports.ordered(diff.sections().keySet());
        List<RowChange> rows = new ArrayList<>(diff.changes());
        rows.sort(java.util.Comparator.comparingInt(row -> order.indexOf(row.section())));
        return rows;
    }

    /** {@code id 1 alice: password, email}; {@code editors}; a row without id or name by its label alone. */
    private static String describe(RowChange row) {
        String what = row.describe();
        if (what.isEmpty()) {
            what = "a row without id or name";
        }
        return what + (row.changedFields().isEmpty() ? "" : ": " + String.join(", ", row.changedFields()));
    }

    /** {@code users 1 created, 2 updated, 1 removed, 3 unchanged; groups ...}, or just the row counts. */
    private static String counts(DiffResult diff, boolean changes) {
        List<String> parts = new ArrayList<>();
        for (String section : Reports.ordered(diff.sections().keySet())) {
            SectionCounts c = diff.sections().get(section);
            if (!changes) {
                parts.add(c.rows() + " " + Reports.label(section));
            } else if (c.created() + c.updated() + c.removed() > 0) {
                parts.add(Reports.label(section) + " " + c.created() + " created, " + c.updated() + " updated, "
                        + c.removed() + " removed, " + c.skipped() + " unchanged");
            }
        }
        return String.join(changes ? "; " : ", ", parts);
    }

    /** The diff as one JSON object: per section counts, and every changed row. Field names only, never values. */
    private static void json(PrintStream out, DiffResult diff, String older, String newer) {
        try {
            JsonGenerator json = new JsonFactory().createGenerator(out, JsonEncoding.UTF8);
            // Standard output stays open.
            json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            json.useDefaultPrettyPrinter();
            json.writeStartObject();
            json.writeStringField("old", older);
            json.writeStringField("new", newer);
            json.writeStringField("old_export_date", diff.older().exportDate());
            json.writeStringField("new_export_date", diff.newer().exportDate());
            json.writeBooleanField("identical", diff.identical());
            json.writeObjectFieldStart("sections");
            for (Map.Entry<String, SectionCounts> section : diff.sections().entrySet()) {
                SectionCounts c = section.getValue();
                json.writeObjectFieldStart(section.getKey());
                json.writeNumberField("rows", c.rows());
                json.writeNumberField("created", c.created());
                json.writeNumberField("updated", c.updated());
                json.writeNumberField("unchanged", c.skipped());
                json.writeNumberField("removed", c.removed());
                json.writeEndObject();
            }
            json.writeEndObject();
            json.writeArrayFieldStart("rows");
            for (RowChange row : inReportOrder(diff)) {
                Reports.writeRow(json, row);
            }
            json.writeEndArray();
            json.writeEndObject();
            json.close();
            out.println();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
