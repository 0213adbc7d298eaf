package io.djangouserbackup.cli;

import io.djangouserbackup.core.ImportMode;
import io.djangouserbackup.core.ImportReport;
import io.djangouserbackup.core.RowChange;
import io.djangouserbackup.core.SectionCounts;
import io.djangouserbackup.model.BackupHeader;
import io.djangouserbackup.model.Sections;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The words the command prints about backups, plans and results: counts, and for a dry run each row's key and
 * name (id, username, group name) with the names of the fields that change; never a field's value, so never a
 * password hash.
 */
final class Reports {
    /** The order sections are reported in: what an operator looks for first. */
    private static final List<String> ORDER = List.of(Sections.USERS, Sections.GROUPS, Sections.PERMISSIONS,
            Sections.OPENAI_MODELS);

    private Reports() {
    }

    /** The section names in report order: the built-in ones, then any others by name. */
    static List<String> ordered(Set<String> sections) {
        List<String> result = new ArrayList<>();
        for (String section : ORDER) {
            if (sections.contains(section)) {
                result.add(section);
            }
        }
        sections.stream().filter(s -> !ORDER.contains(s)).sorted(Comparator.naturalOrder()).forEach(result::add);
        return result;
    }

    static String label(String section) {
        return section.equals(Sections.OPENAI_MODELS) ? "OpenAI models" : section;
    }

    /** {@code 6 users, 1 group, 40 permissions, 3 OpenAI models}: singular for one. */
    static String rowCounts(Map<String, Long> rows) {
        List<String> parts = new ArrayList<>();
        for (String section : ordered(rows.keySet())) {
            parts.add(count(rows.get(section), section));
        }
        return String.join(", ", parts);
    }

    /** {@code 1 user}, {@code 2 users}: a section's rows counted in words; an added section keeps its name. */
    static String count(long n, String section) {
        String plural = label(section);
        boolean builtIn = ORDER.contains(section);
        return n + " " + (n == 1 && builtIn ? plural.substring(0, plural.length() - 1) : plural);
    }

    /** {@code taken 2026-01-02T03:04:05.123456Z from Django 3.2 or later, format 2}. */
    static String origin(BackupHeader header) {
        if (header.isDjangoFixture()) {
            return "a Django fixture, as manage.py dumpdata writes it";
        }
        String django = header.djangoVersion().atLeast() == null ? "an unknown Django release"
                : "Django " + header.djangoVersion().atLeast() + " or later";
        return "taken " + header.exportDate() + " from " + django + ", format " + header.formatVersion();
    }

    /** One line per section for the plan: what an import would do. */
    static List<String> planLines(Map<String, SectionCounts> sections, ImportMode mode) {
        List<String> lines = new ArrayList<>();
        int width = sections.keySet().stream().mapToInt(s -> label(s).length()).max().orElse(0);
        for (String section : ordered(sections.keySet())) {
            SectionCounts c = sections.get(section);
            StringBuilder line = new StringBuilder();
            line.append(String.format(Locale.ROOT, "  %-" + width + "s  ", label(section)));
            line.append(c.created()).append(" to create, ").append(c.updated()).append(" to update");
            if (mode == ImportMode.REPLACE) {
                line.append(", ").append(c.removed()).append(" to remove");
            }
            if (c.skipped() > 0) {
                line.append(", ").append(c.skipped()).append(" unchanged");
            }
            lines.add(line.toString());
        }
        return lines;
    }

    /**
     * Who a replace removes, named for the person who confirms it: {@code   users   id 9 mallory, id 10 zed and 3
     * more}; nothing when it removes nobody.
     */
    static List<String> removedLines(io.djangouserbackup.core.ImportPlan plan) {
        List<String> lines = new ArrayList<>();
        if (plan.mode() != ImportMode.REPLACE) {
            return lines;
        }
        int width = plan.sections().keySet().stream().mapToInt(s -> label(s).length()).max().orElse(0);
        for (String section : ordered(plan.sections().keySet())) {
            List<RowChange> named = plan.removed().getOrDefault(section, List.of());
            long removed = plan.section(section).removed();
            if (removed == 0) {
                continue;
            }
            List<String> names = new ArrayList<>();
            for (RowChange row : named) {
                names.add(row.describe());
            }
            String more = removed > named.size() ? (named.isEmpty() ? removed + " rows" : "and " + (removed - named.size())
                    + " more") : "";
            String list = String.join(", ", names) + (names.isEmpty() || more.isEmpty() ? "" : " ") + more;
            lines.add(String.format(Locale.ROOT, "  %-" + width + "s  ", label(section)) + list);
        }
        if (!lines.isEmpty()) {
            lines.add(0, "To remove (not in the backup):");
        }
        return lines;
    }

    /** {@code users 2 created, 4 updated, 0 removed; groups ...}: what an import did. */
    static String importCounts(Map<String, SectionCounts> sections) {
        List<String> parts = new ArrayList<>();
        for (String section : ordered(sections.keySet())) {
            SectionCounts c = sections.get(section);
            String part = label(section) + " " + c.created() + " created, " + c.updated() + " updated, "
                    + c.removed() + " removed";
            if (c.skipped() > 0) {
                part += ", " + c.skipped() + " unchanged";
            }
            parts.add(part);
        }
        return String.join("; ", parts);
    }

    /** A size for people: {@code 812 B}, {@code 14.2 KiB}, {@code 3.1 MiB}. */
    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    static String mode(ImportMode mode) {
        return mode.name().toLowerCase(Locale.ROOT);
    }

    /** A dry run's rows, section by section: {@code   updated   id 1 alice: password, email}. */
    static List<String> rowLines(List<RowChange> rows) {
        List<String> lines = new ArrayList<>();
        String section = null;
        for (RowChange row : rows) {
            if (!row.section().equals(section)) {
                section = row.section();
                lines.add(label(section) + ":");
            }
            List<String> changed = new ArrayList<>();
            for (String field : row.changedFields()) {
                // A rename is shown from what to what: it says which account becomes which. Never another value.
                boolean naming = field.equals(row.section().equals(Sections.USERS) ? "username" : "name");
                changed.add(naming && row.previousLabel() != null ? field + ": " + row.previousLabel() + " -> " + row.label()
                        : field);
            }
            String fields = changed.isEmpty() ? "" : ": " + String.join(", ", changed);
            lines.add(String.format(Locale.ROOT, "  %-9s %s%s", row.change().name().toLowerCase(Locale.ROOT), row.describe(), fields));
        }
        return lines;
    }

    /** A dry run as one JSON object: the counts per section and every row, for scripts. */
    static void json(java.io.PrintStream out, ImportReport report, String backup, String database) {
        try {
            com.fasterxml.jackson.core.JsonGenerator json = new com.fasterxml.jackson.core.JsonFactory()
                    .createGenerator(out, com.fasterxml.jackson.core.JsonEncoding.UTF8);
            // Standard output stays open.
            json.disable(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            json.useDefaultPrettyPrinter();
            json.writeStartObject();
            json.writeStringField("backup", backup);
            json.writeStringField("database", database);
            json.writeStringField("mode", report.plan().mode().name().toLowerCase(Locale.ROOT));
            json.writeObjectFieldStart("sections");
            for (Map.Entry<String, SectionCounts> section : report.plan().sections().entrySet()) {
                json.writeObjectFieldStart(section.getKey());
                json.writeNumberField("rows", section.getValue().rows());
                for (RowChange.Change change : RowChange.Change.values()) {
                    if (!section.getKey().equals(Sections.PERMISSIONS)) {
                        json.writeNumberField(change.name().toLowerCase(Locale.ROOT), report.count(section.getKey(), change));
                    }
                }
                if (section.getKey().equals(Sections.PERMISSIONS)) {
                    json.writeNumberField("created", section.getValue().created());
                    json.writeNumberField("unchanged", section.getValue().skipped());
                }
                json.writeEndObject();
            }
            json.writeEndObject();
            json.writeArrayFieldStart("rows");
            for (RowChange row : report.rows()) {
                writeRow(json, row);
            }
            json.writeEndArray();
            json.writeEndObject();
            json.close();
            out.println();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** One row of a {@code --report json}: its section, id or key, name (and former name), change and changed fields. */
    static void writeRow(com.fasterxml.jackson.core.JsonGenerator json, RowChange row) throws java.io.IOException {
        json.writeStartObject();
        json.writeStringField("section", row.section());
        if (row.key() instanceof Long id) {
            json.writeNumberField("id", id);
        } else {
            json.writeStringField("key", String.valueOf(row.key()));
        }
        if (row.keyName() != null && !row.keyName().equals("id")) {
            // The column of an added table's key, e.g. user_id: "id" above is then that column's value.
            json.writeStringField("key_name", row.keyName());
        }
        if (row.label() != null) {
            json.writeStringField("name", row.label());
        }
        if (row.previousLabel() != null) {
            json.writeStringField("previous_name", row.previousLabel());
        }
        json.writeStringField("change", row.change().name().toLowerCase(Locale.ROOT));
        if (row.change() == RowChange.Change.UPDATED) {
            json.writeArrayFieldStart("changed_fields");
            for (String field : row.changedFields()) {
                json.writeString(field);
            }
            json.writeEndArray();
        }
        json.writeEndObject();
    }
}
