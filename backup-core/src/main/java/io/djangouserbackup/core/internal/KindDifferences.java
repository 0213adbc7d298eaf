package io.djangouserbackup.core.internal;

import io.djangouserbackup.core.DatabaseAccessException;
import io.djangouserbackup.core.ImportMode;
import io.djangouserbackup.core.spi.Dialect;
import io.djangouserbackup.model.BackupHeader;
import io.djangouserbackup.model.DjangoVersion;
import io.djangouserbackup.model.Row;
import io.djangouserbackup.model.Sections;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Read alongside the check pass: what the backup lacks, or where it differs in kind from the target, that a person
 * should know before confirming, as notes (never failures): another Django release's migrations, no OpenAI models
 * in the backup while the target has some, and (replace mode) ids the target knows under another username or model
 * name, so the replace turns one account into another. Names only, never a password or any other value.
 */
public final class KindDifferences implements DocumentReader.Handler {
    /** How many renamed rows a note names; the rest are counted. */
    static final int NAMED = 5;

    private final RunContext context;
    private final String modelTable;
    private final List<String> renamed = new ArrayList<>();
    private long renamedCount;
    private String section;
    private PreparedStatement identityById;
    private String identityColumn;

    /**
     * @param context    the import's run
     * @param modelTable the OpenAI model table, or {@code null} when the target has none
     */
    public KindDifferences(RunContext context, String modelTable) {
        this.context = context;
        this.modelTable = modelTable;
    }

    @Override
    public void header(BackupHeader header) {
        DjangoVersion target = DjangoTables.djangoVersion(context.handle().orElseThrow(), context.schema());
        DjangoVersion backup = header.djangoVersion();
        if (backup == null || target == null || backup.migrations().isEmpty() || target.migrations().isEmpty()
                || Objects.equals(backup.migrations(), target.migrations())) {
            return;
        }
        context.note("the backup comes from another Django schema than the target's: " + describe(backup)
                + " in the backup, " + describe(target) + " in the target; check that the columns still mean the same");
    }

    private static String describe(DjangoVersion version) {
        if (version.migrations().isEmpty()) {
            return "unknown migrations";
        }
        List<String> parts = new ArrayList<>();
        version.migrations().forEach((app, migration) -> parts.add(app + " " + migration));
        return String.join(", ", parts) + (version.atLeast() == null ? "" : " (Django " + version.atLeast() + " or later)");
    }

    @Override
    public void beginSection(String name) {
        section = name;
        closeLookup();
        if (context.mode() != ImportMode.REPLACE) {
            // A merge refuses an id whose username differs; only a replace goes ahead and renames.
            return;
        }
        String table = name.equals(Sections.USERS) ? context.userTable()
                : name.equals(Sections.OPENAI_MODELS) ? modelTable : null;
        String column = name.equals(Sections.USERS) ? "username" : "name";
        if (table == null || context.schema().table(table).flatMap(t -> t.column(column)).isEmpty()) {
            return;
        }
        Dialect d = context.dialect();
        try {
            identityById = context.handle().orElseThrow().getConnection().prepareStatement("SELECT " + d.quote(column)
                    + " FROM " + d.quote(table) + " WHERE " + d.quote("id") + " = ?");
            identityColumn = column;
        } catch (SQLException e) {
            throw new DatabaseAccessException("table " + table + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void row(String section, int index, Row row) {
        if (identityById == null || !(row.get("id") instanceof Long id) || !(row.get(identityColumn) instanceof String name)) {
            return;
        }
        try {
            identityById.setLong(1, id);
            try (ResultSet rs = identityById.executeQuery()) {
                if (rs.next() && rs.getString(1) != null && !rs.getString(1).equals(name)) {
                    renamedCount++;
                    if (renamed.size() < NAMED) {
                        renamed.add(label(section) + " id " + id + " " + identityColumn + ": " + rs.getString(1) + " -> " + name);
                    }
                }
            }
        } catch (SQLException e) {
            throw new DatabaseAccessException(section + "[" + index + "]: " + e.getMessage(), e);
        }
    }

    @Override
    public void endSection(String name, int count) {
        closeLookup();
        if (name.equals(Sections.OPENAI_MODELS) && count == 0 && modelTable != null) {
            long[] counted = new long[1];
            Jdbc.forEach(context.handle().orElseThrow(), "SELECT COUNT(*) FROM " + context.dialect().quote(modelTable),
                    rs -> counted[0] = rs.getLong(1));
            long target = counted[0];
            if (target > 0) {
                context.note("the backup has no OpenAI models (its database may have had no OpenAI model table), the target has "
                        + target + (context.mode() == ImportMode.REPLACE ? ": a replace removes them" : ": a merge keeps them"));
            }
        }
    }

    /** After reading: the note about renamed rows, if any. */
    public void finish() {
        closeLookup();
        if (renamedCount > 0) {
            context.note(renamedCount + (renamedCount == 1 ? " id belongs" : " ids belong") + " to another name in the target"
                    + " than in the backup, and the replace gives " + (renamedCount == 1 ? "it" : "them") + " the backup's: "
                    + String.join("; ", renamed) + (renamedCount > renamed.size() ? "; and " + (renamedCount - renamed.size())
                    + " more" : ""));
        }
    }

    private static String label(String section) {
        return section.equals(Sections.USERS) ? "user" : section.equals(Sections.OPENAI_MODELS) ? "OpenAI model"
                : section.toLowerCase(Locale.ROOT);
    }

    private void closeLookup() {
        if (identityById != null) {
            try {
                identityById.close();
            } catch (SQLException ignored) {
                // A read-only lookup; nothing to lose.
            }
            identityById = null;
        }
    }
}
