package io.djangouserbackup.core.mappers;

import io.djangouserbackup.core.DatabaseAccessException;
import io.djangouserbackup.core.ImportMode;
import io.djangouserbackup.core.IncompatibleDatabaseException;
import io.djangouserbackup.core.InvalidBackupException;
import io.djangouserbackup.core.spi.BatchedWrites;
import io.djangouserbackup.core.spi.Column;
import io.djangouserbackup.core.spi.ColumnType;
import io.djangouserbackup.core.spi.ColumnValues;
import io.djangouserbackup.core.spi.Dialect;
import io.djangouserbackup.core.spi.LinkTable;
import io.djangouserbackup.core.spi.MapperContext;
import io.djangouserbackup.core.spi.NaturalKeys;
import io.djangouserbackup.core.spi.PrimaryKey;
import io.djangouserbackup.core.spi.Reference;
import io.djangouserbackup.core.spi.RowAction;
import io.djangouserbackup.core.spi.RowRemoval;
import io.djangouserbackup.core.spi.SectionRun;
import io.djangouserbackup.core.spi.Table;
import io.djangouserbackup.core.spi.TableMapper;
import io.djangouserbackup.core.spi.TableRows;
import io.djangouserbackup.core.spi.UniqueValues;
import io.djangouserbackup.core.internal.DeclaredTypes;
import io.djangouserbackup.model.Row;
import io.djangouserbackup.model.SectionSchema;
import io.djangouserbackup.model.Sections;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A section for any table tied to users, described by its {@link Shape}: every column as stored, the rows
 * identified by their primary key (an integer {@code id}, authtoken's text {@code key}, a profile's one-to-one
 * {@code user_id}), each foreign-key column written as its {@link Reference} says (users and rows of included
 * tables by key, groups by name, permissions and content types by natural key), and many-to-many tables whose
 * owner this table is as list fields. Built only from the public parts of {@code spi}.
 *
 * <p>The shape travels in the backup's header ({@link #describe()}), so an import or a verification reads a
 * section made by {@code export --table} without being told about it. {@link IncludedTables} finds the shape
 * of a table in a database.
 *
 * <pre>{@code
 * DjangoDatabase db = DjangoDatabase.sqlite(path).withMapper(new IncludedTableMapper("authtoken_token",
 *         new IncludedTableMapper.Shape("authtoken_token", "key", Map.of("user_id", Sections.USERS), List.of())));
 * }</pre>
 */
public final class IncludedTableMapper implements TableMapper {

    /** The name a reference to Django's content types goes by (they are not a section of the backup). */
    public static final String CONTENT_TYPES = "content_types";

    /**
     * A many-to-many table whose owner is the included table: the owner's rows list the far side's keys.
     *
     * @param field        the list field of the owner's rows, e.g. {@code members}
     * @param table        the link table, e.g. {@code projects_project_members}
     * @param ownerColumn  its column that points at the owner, e.g. {@code project_id}
     * @param targetColumn its column that points at the far side, e.g. {@code user_id}
     * @param references   the section of the far side ({@code users}, {@code groups}, {@code permissions}, an
     *                     included table's section)
     */
    public record LinkShape(String field, String table, String ownerColumn, String targetColumn, String references) {
        public LinkShape {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(table, "table");
            Objects.requireNonNull(ownerColumn, "ownerColumn");
            Objects.requireNonNull(targetColumn, "targetColumn");
            Objects.requireNonNull(references, "references");
        }
    }

    /**
     * What a section holds and how its rows are identified and refer to others.
     *
     * @param table      the table
     * @param key        its primary-key column
     * @param references foreign-key column to the section it refers to ({@link Sections#USERS},
     *                   {@link Sections#GROUPS}, {@link Sections#PERMISSIONS}, {@link #CONTENT_TYPES},
     *                   {@link Sections#OPENAI_MODELS} or an included table's section)
     * @param links      many-to-many tables owned by this one
     */
    public record Shape(String table, String key, Map<String, String> references, List<LinkShape> links) {
        public Shape {
            Objects.requireNonNull(table, "table");
            Objects.requireNonNull(key, "key");
            references = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(references));
            links = List.copyOf(links);
        }
    }

    private final String section;
    private final Shape shape;
    // The source's declared column types, from a backup's header: a verification checks values against them.
    private final Map<String, String> declaredColumns;
    // The source's engine, as the header names it: it says what a declared type means (MySQL's tinyint(1) is a boolean).
    private final String sourceEngine;

    /**
     * A section for a table of the given shape.
     *
     * @param section the document key, e.g. the table's name
     */
    public IncludedTableMapper(String section, Shape shape) {
        this(section, shape, Map.of(), null);
    }

    private IncludedTableMapper(String section, Shape shape, Map<String, String> declaredColumns, String sourceEngine) {
        this.section = Objects.requireNonNull(section, "section");
        this.shape = Objects.requireNonNull(shape, "shape");
        this.declaredColumns = Map.copyOf(declaredColumns);
        this.sourceEngine = sourceEngine;
    }

    @Override
    public String section() {
        return section;
    }

    /** How the section is made. */
    public Shape shape() {
        return shape;
    }

    /** The sections this one refers to, through its columns and its links (not itself, not content types). */
    @Override
    public List<String> dependsOn() {
        Set<String> sections = new LinkedHashSet<>(shape.references().values());
        shape.links().forEach(l -> sections.add(l.references()));
        sections.remove(CONTENT_TYPES);
        sections.remove(section);
        return List.copyOf(sections);
    }

    /**
     * The section's description for the backup's header, beside its table and columns: {@code "key"}, the
     * primary-key column; {@code "references"}, each foreign-key column's section; {@code "links"}, each list
     * field's link table.
     */
    @Override
    public Row describe() {
        Row.Builder references = Row.builder();
        shape.references().forEach(references::put);
        Row.Builder links = Row.builder();
        for (LinkShape link : shape.links()) {
            links.put(link.field(), Row.builder().put("table", link.table()).put("owner", link.ownerColumn())
                    .put("target", link.targetColumn()).put("references", link.references()).build());
        }
        return Row.builder().put("key", shape.key()).put("references", references.build()).put("links", links.build()).build();
    }

    /**
     * The mapper a backup describes ({@link #describe()}).
     *
     * @param place where the description stands, for messages
     * @throws InvalidBackupException when it is not one
     */
    public static IncludedTableMapper fromDescription(String section, SectionSchema schema, String place) {
        return fromDescription(section, schema, null, place);
    }

    /**
     * The same, for a backup taken from {@code engine} (the header's {@code engine}: {@code sqlite}, {@code postgresql},
     * {@code mysql}), whose declared column types a verification reads as that engine declares them: a MySQL backup's
     * {@code tinyint(1)} column holds {@code true}/{@code false}.
     */
    public static IncludedTableMapper fromDescription(String section, SectionSchema schema, String engine, String place) {
        IncludedTableMapper described = fromDescription(section, schema.table(), schema.more(), place);
        return new IncludedTableMapper(section, described.shape, schema.columns(), engine);
    }

    /**
     * The mapper a description says ({@link #describe()}) for the table.
     *
     * @param place where the description stands, for messages
     * @throws InvalidBackupException when it is not one
     */
    public static IncludedTableMapper fromDescription(String section, String table, Row description, String place) {
        String key = text(description, "key", place);
        if (!NAME.matcher(table).matches()) {
            throw new InvalidBackupException(place + ".table", "not a plain table name");
        }
        Map<String, String> references = new LinkedHashMap<>();
        Object refs = description.get("references");
        if (refs instanceof Row row) {
            for (String column : row.names()) {
                if (!NAME.matcher(column).matches()) {
                    throw new InvalidBackupException(place + ".references", "not a plain column name");
                }
                references.put(column, text(row, column, place + ".references"));
            }
        } else if (refs != null) {
            throw new InvalidBackupException(place + ".references", "expected an object");
        }
        List<LinkShape> links = new ArrayList<>();
        Object linkRows = description.get("links");
        if (linkRows instanceof Row row) {
            for (String field : row.names()) {
                if (!NAME.matcher(field).matches()) {
                    throw new InvalidBackupException(place + ".links", "not a plain field name");
                }
                if (!(row.get(field) instanceof Row link)) {
                    throw new InvalidBackupException(place + ".links." + field, "expected an object");
                }
                String at = place + ".links." + field;
                links.add(new LinkShape(field, text(link, "table", at), text(link, "owner", at), text(link, "target", at),
                        text(link, "references", at)));
            }
        } else if (linkRows != null) {
            throw new InvalidBackupException(place + ".links", "expected an object");
        }
        return new IncludedTableMapper(section, new Shape(table, key, references, links));
    }

    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");

    /** A name from the description: table, column and section names are plain identifiers, or the backup is refused. */
    private static String text(Row row, String field, String place) {
        if (!(row.get(field) instanceof String text)) {
            throw new InvalidBackupException(place + "." + field, row.has(field) ? "expected a string" : "missing");
        }
        if (!NAME.matcher(text).matches()) {
            throw new InvalidBackupException(place + "." + field, "not a plain table, column or section name");
        }
        return text;
    }

    /** The reference to rows of the named section (or {@link #CONTENT_TYPES}). */
    public static Reference referenceTo(String target) {
        return switch (target) {
            case Sections.USERS -> Reference.users();
            case Sections.GROUPS -> Reference.groups();
            case Sections.PERMISSIONS -> Reference.permissions();
            case CONTENT_TYPES -> Reference.contentTypes();
            case Sections.OPENAI_MODELS -> Reference.byPrimaryKey(Sections.OPENAI_MODELS, "OpenAI model");
            default -> Reference.byPrimaryKey(target, target + " row");
        };
    }

    @Override
    public SectionRun start(MapperContext context) {
        return new Run(context);
    }

    private final class Run implements SectionRun {
        private final MapperContext context;
        private final Map<String, Reference> references = new HashMap<>();
        private Table table;
        private Map<String, Column> columns;
        private PrimaryKey primaryKey;
        private List<LinkTable> links;
        private Set<String> linkFields;
        private UniqueValues unique;
        private BatchedWrites writes;
        private TableRows rows;
        private List<Object> absent = List.of();
        // References to rows of this same section: judged once every key is declared.
        private final List<Object[]> selfReferences = new ArrayList<>();
        // Self-references written after every row, so no row points at one not yet written.
        private final List<Object[]> pendingSelfReferences = new ArrayList<>();

        Run(MapperContext context) {
            this.context = context;
            shape.references().forEach((column, target) -> references.put(column, referenceTo(target)));
            linkFields = new HashSet<>();
            shape.links().forEach(l -> linkFields.add(l.field()));
        }

        private boolean resolve() {
            if (table != null) {
                return true;
            }
            if (context.handle().isEmpty()) {
                return false;
            }
            table = context.schema().table(shape.table()).orElseThrow(() -> new IncompatibleDatabaseException("section " + section
                    + ": the target database has no table " + shape.table() + " (is that app installed and migrated?)"));
            String name = table.name();
            if (name.equalsIgnoreCase(context.userTable()) || List.of("auth_group", "auth_permission", "django_content_type")
                    .contains(name.toLowerCase(java.util.Locale.ROOT))) {
                throw new IncompatibleDatabaseException("section " + section + ": table " + name + " is one of the built-in"
                        + " sections' tables and cannot be restored as an added table");
            }
            columns = new HashMap<>();
            table.columns().forEach(c -> columns.put(c.name(), c));
            primaryKey = new PrimaryKey(context, table, shape.key());
            if (!shape.links().isEmpty() && !primaryKey.isInteger()) {
                throw new IncompatibleDatabaseException("section " + section + ": table " + name + " has many-to-many"
                        + " links but its key " + shape.key() + " is not an integer");
            }
            links = new ArrayList<>();
            for (LinkShape link : shape.links()) {
                Table linkTable = context.schema().table(link.table()).orElseThrow(() -> new IncompatibleDatabaseException("section "
                        + section + ": the target database has no table " + link.table() + " for " + link.field()));
                links.add(LinkTable.of(link.field(), linkTable, link.ownerColumn(), link.targetColumn(), referenceTo(link.references())));
            }
            rows = new TableRows(context, table, shape.key(), links);
            return true;
        }

        @Override
        public Table sourceTable() {
            resolve();
            return table;
        }

        @Override
        public void exportRows(Consumer<Row> sink) {
            resolve();
            rows.export((column, value) -> {
                Reference reference = references.get(column.name());
                return reference == null ? value : reference.toDocument(value, context);
            }, sink);
        }

        /** A row is matched by its primary key. */
        @Override
        public Object matchKey(Row row) {
            return row.get(shape.key());
        }

        /** The target's rows whose primary key is one of the keys, with their links: one query per table. */
        @Override
        public void exportRows(java.util.Collection<?> keys, Consumer<Row> sink) {
            resolve();
            rows.exportWhere(shape.key(), keys, (column, value) -> {
                Reference reference = references.get(column.name());
                return reference == null ? value : reference.toDocument(value, context);
            }, sink);
        }

        @Override
        public RowAction check(Row row, String place) {
            boolean database = resolve();
            Object key = database ? primaryKey.check(row, section, place)
                    : PrimaryKey.checkKey(row, shape.key(), false, context.references(), section, place);
            for (int f = 0; f < row.size(); f++) {
                String name = row.name(f);
                Object value = row.value(f);
                if (linkFields.contains(name)) {
                    continue;
                }
                Reference reference = references.get(name);
                if (reference != null && value != null) {
                    if (section.equals(shape.references().get(name))) {
                        selfReferences.add(new Object[] {value, place + "." + name});
                    } else {
                        reference.check(value, place + "." + name, context);
                    }
                    continue;
                }
                if (!database) {
                    String declared = declaredColumns.get(name);
                    if (declared != null) {
                        ColumnValues.check(value, DeclaredTypes.parseDeclared(sourceEngine, name, declared, name.equals(shape.key())),
                                shape.table(), place, name);
                    } else if (!declaredColumns.isEmpty()) {
                        throw new InvalidBackupException(place + "." + name, "not a column of " + shape.table()
                                + " as the backup's header describes it");
                    } else if (value instanceof Row || value instanceof List) {
                        throw new InvalidBackupException(place + "." + name, "expected a single value, got " + ColumnValues.jsonType(value));
                    }
                }
            }
            for (LinkShape link : shape.links()) {
                LinkTable.forCheck(link.field(), referenceTo(link.references())).check(row, place, context);
            }
            if (!database) {
                return RowAction.SKIP;
            }
            // References were checked above; a null one is checked as a value of its column.
            rows.checkColumns(row, place, name -> references.containsKey(name) && row.get(name) != null);
            for (Column column : table.columns()) {
                if (column.notNull() && row.has(column.name()) && row.get(column.name()) == null) {
                    throw new InvalidBackupException(place + "." + column.name(), "null, but column " + table.name() + "."
                            + column.name() + " is NOT NULL");
                }
            }
            if (unique == null) {
                unique = UniqueValues.of(context, table, shape.key());
            }
            unique.add(row, key, place, this::lookupValue);
            return primaryKey.inTarget(key) ? RowAction.UPDATE : RowAction.CREATE;
        }

        /** The target form of a unique column's value for a lookup, or null when it cannot be known yet. */
        private Object lookupValue(String column, Object value) {
            String target = shape.references().get(column);
            if (target == null) {
                return context.dialect().toDatabase(value, columns.get(column));
            }
            if (target.equals(CONTENT_TYPES)) {
                return references.get(column).toTarget(value, context);
            }
            // A target row can only hold a permission or group the target has already.
            if (target.equals(Sections.PERMISSIONS)) {
                return context.naturalKeys().permissionId(NaturalKeys.permissionKey(value, column));
            }
            if (target.equals(Sections.GROUPS)) {
                return value instanceof String name ? context.naturalKeys().groupId(name) : null;
            }
            // Rows of users and included tables keep their keys.
            return value;
        }

        @Override
        public long absentRows() {
            for (Object[] reference : selfReferences) {
                Reference.byPrimaryKey(section, section + " row").check(reference[0], (String) reference[1], context);
            }
            selfReferences.clear();
            if (context.handle().isEmpty() || table == null) {
                return 0;
            }
            if (context.mode() == ImportMode.REPLACE) {
                absent = primaryKey.absent(section);
            }
            Set<Object> removed = new HashSet<>(absent);
            if (unique != null) {
                unique.judge(removed::contains);
            }
            return absent.size();
        }

        private BatchedWrites writes() {
            if (writes == null) {
                writes = new BatchedWrites(context.handle().orElseThrow().getConnection());
            }
            return writes;
        }

        @Override
        public void beforeWrite() {
            if (resolve()) {
                RowRemoval.remove(context, table, shape.key(), absent, writes());
            }
        }

        @Override
        public void write(Row row, String place) {
            resolve();
            Object key = row.get(shape.key());
            try {
                boolean existed = primaryKey.inTarget(key);
                rows.writeColumns(row, existed, (name, value) -> {
                    Reference reference = references.get(name);
                    if (reference == null) {
                        return rows.toDatabase(name, value);
                    }
                    if (value != null && section.equals(shape.references().get(name)) && !columns.get(name).notNull()) {
                        // Written once every row is there: it may point at a row later in the section.
                        pendingSelfReferences.add(new Object[] {name, value, rows.toDatabase(shape.key(), key)});
                        return null;
                    }
                    return reference.toTarget(value, context);
                }, writes());
                if (!links.isEmpty()) {
                    rows.writeLinks(((Number) key).longValue(), row, existed, writes());
                }
                writes().maybeFlush();
            } catch (SQLException e) {
                throw new DatabaseAccessException(place + ": writing to " + table.name() + " failed: " + e.getMessage(), e);
            }
        }

        @Override
        public void afterWrite() {
            if (table == null) {
                return;
            }
            Dialect d = context.dialect();
            try {
                writes().flush();
                for (Object[] pending : pendingSelfReferences) {
                    writes().add("UPDATE " + d.quote(table.name()) + " SET " + d.quote((String) pending[0]) + " = ? WHERE "
                            + d.quote(shape.key()) + " = ?", pending[1], pending[2]);
                    writes().maybeFlush();
                }
                pendingSelfReferences.clear();
                writes().flush();
                writes().close();
                rows.closeStatements();
            } catch (SQLException e) {
                throw new DatabaseAccessException("table " + table.name() + ": writing failed: " + e.getMessage(), e);
            }
            if (primaryKey.isInteger() && primaryKey.column().type() == ColumnType.INTEGER) {
                d.resetSequence(context.handle().orElseThrow(), table.name(), shape.key());
            }
        }
    }
}
