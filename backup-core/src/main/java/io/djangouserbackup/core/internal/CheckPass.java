package io.djangouserbackup.core.internal;

import io.djangouserbackup.core.IncompatibleDatabaseException;
import io.djangouserbackup.core.InvalidBackupException;
import io.djangouserbackup.core.mappers.IncludedTableMapper;
import io.djangouserbackup.core.spi.Column;
import io.djangouserbackup.core.spi.ColumnValues;
import io.djangouserbackup.core.spi.Dialect;
import io.djangouserbackup.core.spi.MapperContext;
import io.djangouserbackup.core.spi.RowAction;
import io.djangouserbackup.core.spi.SectionRun;
import io.djangouserbackup.core.spi.TableMapper;
import io.djangouserbackup.model.BackupHeader;
import io.djangouserbackup.model.Row;
import io.djangouserbackup.model.SectionSchema;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a whole document and has each row checked by its section's mapper, counting what an import would do (and,
 * {@linkplain #comparingRows compared} with the target, whether each row it has changes).
 * Also enforces the document's shape: known sections only, each after the sections it refers to, none missing.
 */
public final class CheckPass implements DocumentReader.Handler {
    private final Map<String, TableMapper> mappers = new LinkedHashMap<>();
    private final Map<String, SectionRun> runs;
    private final List<String> requiredSections;
    private final Set<String> seen = new HashSet<>();
    // Rows per action (by ordinal) of each section; the current section's at hand, as every row adds to it.
    private final Map<String, long[]> counts = new LinkedHashMap<>();
    private String countedSection;
    private long[] counted;
    private final Dialect target;
    private BackupHeader header;
    private MapperContext describedSections;
    private RowComparison comparison;
    // The built-in section whose declared column types are at hand (verify only), and those types.
    private String declaredSection;
    private Map<String, Column> declared;
    private String declaredTable;

    /** A pass that checks the document on its own, without a target database. */
    public CheckPass(List<TableMapper> mappers, Map<String, SectionRun> runs, List<String> requiredSections) {
        this(mappers, runs, requiredSections, null);
    }

    /** A pass that also checks what the backup says of its source against the target's engine ({@code target}). */
    public CheckPass(List<TableMapper> mappers, Map<String, SectionRun> runs, List<String> requiredSections, Dialect target) {
        mappers.forEach(m -> this.mappers.put(m.section(), m));
        this.runs = runs;
        this.requiredSections = requiredSections;
        this.target = target;
    }

    /**
     * Lets the pass restore sections that no mapper is registered for but that the backup's header describes (tables
     * added with {@code export --table}), each with an {@link IncludedTableMapper} started in {@code context}.
     */
    public CheckPass acceptingDescribedSections(MapperContext context) {
        this.describedSections = context;
        return this;
    }

    /**
     * Has each checked row compared with the target's (see {@link RowComparison}), so that the counts say exactly what
     * an import changes; made with this pass's runs and mappers.
     */
    public RowComparison comparingRows(MapperContext target, boolean listing) {
        comparison = new RowComparison(runs, mappers::get, target, listing);
        return comparison;
    }

    /** Every mapper of the run, the described sections' too, in dependency order. */
    public List<TableMapper> mappers() {
        return SectionOrder.sort(List.copyOf(mappers.values()));
    }

    @Override
    public void header(BackupHeader header) {
        this.header = header;
        if (describedSections != null) {
            addDescribedSections(header);
        }
        if (target == null) {
            return;
        }
        // A column whose values only the source's engine understands is refused before any row is read.
        for (Map.Entry<String, SectionSchema> section : header.sections().entrySet()) {
            for (Map.Entry<String, String> column : section.getValue().columns().entrySet()) {
                String reason = target.cannotHoldSourceType(header.engine(), column.getValue());
                if (reason != null) {
                    throw new IncompatibleDatabaseException(section.getKey() + "." + column.getKey() + ": " + reason
                            + " (column " + section.getValue().table() + "." + column.getKey() + "); nothing was imported");
                }
            }
        }
    }

    private void addDescribedSections(BackupHeader header) {
        List<TableMapper> added = new java.util.ArrayList<>();
        for (Map.Entry<String, SectionSchema> section : header.sections().entrySet()) {
            if (!mappers.containsKey(section.getKey()) && section.getValue().more().has("key")) {
                added.add(IncludedTableMapper.fromDescription(section.getKey(), section.getValue(), header.engine(),
                        "sections." + section.getKey()));
            }
        }
        if (added.isEmpty()) {
            return;
        }
        try {
            List<TableMapper> all = new java.util.ArrayList<>(mappers.values());
            all.addAll(added);
            SectionOrder.sort(all);
        } catch (IllegalArgumentException e) {
            throw new InvalidBackupException("sections", e.getMessage());
        }
        for (TableMapper mapper : added) {
            mappers.put(mapper.section(), mapper);
            runs.put(mapper.section(), mapper.start(describedSections));
        }
    }

    @Override
    public void beginSection(String name) {
        TableMapper mapper = mappers.get(name);
        if (mapper == null) {
            throw new InvalidBackupException(name, "unknown section: no mapper is registered for it, and it would be lost");
        }
        for (String dependency : mapper.dependsOn()) {
            if (mappers.containsKey(dependency) && !seen.contains(dependency)) {
                throw new InvalidBackupException(name, "must come after section " + dependency + ", which it refers to");
            }
        }
        seen.add(name);
        counts.put(name, new long[ACTIONS.length]);
        countedSection = null;
    }

    @Override
    public void row(String section, int index, Row row) {
        String place = section + "[" + index + "]";
        RowAction action = runs.get(section).check(row, place);
        if (target == null) {
            checkDeclaredTypes(section, place, row);
        }
        SectionSchema schema = target == null || header == null ? null : header.sections().get(section);
        if (schema != null) {
            // A value the target holds but that the source's Django field could not read back there.
            for (Map.Entry<String, String> column : schema.columns().entrySet()) {
                Object value = row.get(column.getKey());
                String reason = value == null ? null : target.cannotHoldFromSourceType(value, column.getValue());
                if (reason != null) {
                    throw new IncompatibleDatabaseException(section + "[" + index + "]." + column.getKey() + ": " + reason
                            + " (column " + schema.table() + "." + column.getKey() + "); nothing was imported");
                }
            }
        }
        if (!section.equals(countedSection)) {
            countedSection = section;
            counted = counts.get(section);
        }
        counted[action.ordinal()]++;
        if (comparison != null) {
            comparison.row(section, row, action);
        }
    }

    /**
     * Without a target, checks a built-in section's columns (a custom user model's extra columns, the OpenAI model
     * table's) against the types the header declares, as an import checks them against the target's: what
     * {@code verify} accepts, {@code import} reads. An included table's mapper checks its own, knowing which of its
     * fields are references.
     */
    private void checkDeclaredTypes(String section, String place, Row row) {
        if (!section.equals(declaredSection)) {
            declaredSection = section;
            declared = null;
            SectionSchema schema = header == null ? null : header.sections().get(section);
            if (schema != null && !(mappers.get(section) instanceof IncludedTableMapper)) {
                declared = new LinkedHashMap<>();
                for (Map.Entry<String, String> column : schema.columns().entrySet()) {
                    declared.put(column.getKey(), DeclaredTypes.parseDeclared(header.engine(), column.getKey(),
                            column.getValue(), column.getKey().equals("id")));
                }
                declaredTable = schema.table();
            }
        }
        if (declared == null) {
            return;
        }
        for (int f = 0; f < row.size(); f++) {
            Column column = declared.get(row.name(f));
            if (column != null) {
                ColumnValues.check(row.value(f), column, declaredTable, place, column.name());
            }
        }
    }

    @Override
    public void endSection(String name, int count) {
        if (comparison != null) {
            comparison.endSection(name);
        }
    }

    /** After reading: refuses a document that lacks a required section. */
    public void finish() {
        for (String section : requiredSections) {
            if (!seen.contains(section)) {
                throw new InvalidBackupException(section, "missing section");
            }
        }
    }

    public BackupHeader header() {
        return header;
    }

    /** Whether the document has the section. */
    public boolean has(String section) {
        return seen.contains(section);
    }

    /** How many rows of the section would get the action. */
    public long count(String section, RowAction action) {
        long[] bySection = counts.get(section);
        return bySection == null ? 0 : bySection[action.ordinal()];
    }

    /** How many rows the section has. */
    public long rows(String section) {
        long[] bySection = counts.get(section);
        return bySection == null ? 0 : java.util.Arrays.stream(bySection).sum();
    }

    private static final RowAction[] ACTIONS = RowAction.values();
}
