package io.djangouserbackup.core.internal;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import io.djangouserbackup.core.IncompatibleDatabaseException;
import io.djangouserbackup.core.mappers.IncludedTableMapper;
import io.djangouserbackup.core.spi.Column;
import io.djangouserbackup.core.spi.ForeignKey;
import io.djangouserbackup.core.spi.MapperContext;
import io.djangouserbackup.core.spi.Table;
import io.djangouserbackup.core.spi.TableMapper;
import io.djangouserbackup.model.Row;
import io.djangouserbackup.model.Sections;
import java.io.IOException;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * Writes the rows of an export as Django's JSON fixture ({@code [{"model": "auth.user", "fields": {...}}, ...]}),
 * one object a line, as {@code dumpdata --natural-foreign --natural-primary} would: permissions (with their content
 * types), groups and users without their ids, found by natural key when loaded (users by username, or a custom user model's
 * unique {@code USERNAME_FIELD}, groups by name,
 * permissions by {@code [codename, app_label, model]}, content types by {@code [app_label, model]}); the OpenAI model
 * table and included tables with their primary keys, their references to users, groups, permissions and content
 * types by natural key. So {@code manage.py loaddata} loads it into any migrated database, whatever its ids.
 *
 * <p>Values take their fixture form from {@link DjangoFixtureValues}. A table's model label comes from
 * {@code django_content_type} and Django's default table naming ({@code app_label_model}); a table no model is
 * named for is refused. Rows are written as they come: memory stays flat, usernames of referenced users are looked
 * up in the export's snapshot (a few thousand kept).
 */
public final class DjangoFixtureWriter implements ExportWriter {
    private static final JsonFactory FACTORY = JsonFactory.builder().build();
    private static final int USERNAMES_KEPT = 4096;

    private final JsonGenerator json;
    private final MapperContext context;
    private final Handle handle;
    private final String userTable;
    private final ModelLabels labels;
    private final Map<Long, String> usernames = new LinkedHashMap<>(USERNAMES_KEPT, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, String> eldest) {
            return size() > USERNAMES_KEPT;
        }
    };
    private PreparedStatement usernameQuery;

    private Section section;
    /** The permissions section, kept until its end to write the content types it names first (a few hundred). */
    private final List<Row> permissions = new ArrayList<>();

    /** A writer into the stream, which it does not close; the context's handle reads the export's snapshot. */
    public DjangoFixtureWriter(OutputStream out, MapperContext context) throws IOException {
        this.json = FACTORY.createGenerator(out, JsonEncoding.UTF8);
        json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        json.setPrettyPrinter(new MinimalPrettyPrinter(",\n"));
        this.context = context;
        this.handle = context.handle().orElseThrow();
        this.userTable = context.userTable();
        this.labels = new ModelLabels(handle);
        json.writeRaw("[\n");
    }

    /** A fixture has no header: loaddata reads a list of objects. */
    @Override
    public void header(io.djangouserbackup.model.BackupHeader header) {
    }

    /**
     * Starts a section: decides each table's model label and each column's fixture form before any row is written.
     *
     * @throws IncompatibleDatabaseException when a table's model cannot be named
     */
    @Override
    public void beginSection(TableMapper mapper, Table table) {
        section = new Section(mapper, table);
    }

    /** Writes one row of the current section as a fixture object (the permissions section at its end). */
    @Override
    public void row(Row row) throws IOException {
        if (section.name.equals(Sections.PERMISSIONS)) {
            permissions.add(row);
            return;
        }
        section.write(row);
    }

    /** Ends the current section. */
    @Override
    public void endSection() throws IOException {
        if (section.name.equals(Sections.PERMISSIONS)) {
            writePermissions();
            permissions.clear();
        }
        section = null;
    }

    /** Closes the list and flushes; the stream stays open. */
    @Override
    public void finish() throws IOException {
        json.flush();
        json.writeRaw("\n]\n");
        json.flush();
    }

    @Override
    public void close() throws IOException {
        try {
            if (usernameQuery != null) {
                usernameQuery.close();
            }
        } catch (SQLException e) {
            throw new IOException(e);
        } finally {
            json.close();
        }
    }

    /** The content types the permissions name, then the permissions, all by natural key. */
    private void writePermissions() throws IOException {
        Set<List<String>> contentTypes = new LinkedHashSet<>();
        for (Row permission : permissions) {
            contentTypes.add(List.of((String) permission.get("app_label"), (String) permission.get("model")));
        }
        for (List<String> contentType : contentTypes) {
            json.writeStartObject();
            json.writeStringField("model", "contenttypes.contenttype");
            json.writeObjectFieldStart("fields");
            json.writeStringField("app_label", contentType.get(0));
            json.writeStringField("model", contentType.get(1));
            json.writeEndObject();
            json.writeEndObject();
        }
        for (Row permission : permissions) {
            json.writeStartObject();
            json.writeStringField("model", "auth.permission");
            json.writeObjectFieldStart("fields");
            json.writeStringField("name", (String) permission.get("name"));
            json.writeFieldName("content_type");
            naturalKey(List.of(permission.get("app_label"), permission.get("model")));
            json.writeStringField("codename", (String) permission.get("codename"));
            json.writeEndObject();
            json.writeEndObject();
        }
    }

    /** The model label of a table ({@link ModelLabels}). */
    String label(String table) {
        return labels.label(table);
    }

    /** What one section writes, decided at its start. */
    private final class Section {
        final String name;
        final String model;
        /** The primary key's column; written as {@code pk}, or not at all for models found by natural key. */
        final String key;
        final boolean naturalPrimary;
        final List<Field> fields = new ArrayList<>();

        Section(TableMapper mapper, Table table) {
            this.name = mapper.section();
            if (table == null) {
                model = null;
                key = null;
                naturalPrimary = true;
                return;
            }
            model = label(table.name());
            Column primary = table.columns().stream().filter(Column::primaryKey).findFirst().orElse(null);
            Map<String, String> references = mapper instanceof IncludedTableMapper included
                    ? included.shape().references() : Map.of();
            key = mapper instanceof IncludedTableMapper included ? included.shape().key() : primary == null ? "id" : primary.name();
            naturalPrimary = name.equals(Sections.USERS) || name.equals(Sections.GROUPS);
            Set<String> jsonColumns = JsonColumns.of(handle, context.dialect(), table);
            Map<String, String> foreignKeys = new HashMap<>();
            for (ForeignKey foreignKey : table.foreignKeys()) {
                foreignKeys.put(foreignKey.column(), foreignKey.targetTable());
            }
            for (Column column : table.columns()) {
                String refersTo = references.get(column.name());
                if (refersTo == null && userTable.equals(foreignKeys.get(column.name())) && !(mapper instanceof IncludedTableMapper)) {
                    refersTo = Sections.USERS;
                }
                boolean isKey = column.name().equals(key);
                if (isKey && (refersTo == null || !isNatural(refersTo))) {
                    continue; // written as "pk"
                }
                Column typed = jsonColumns.contains(column.name()) ? new Column(column.name(), DjangoFixtureValues.JSON,
                        column.type(), column.maxLength(), column.notNull(), column.hasDefault(), column.primaryKey()) : column;
                String field = refersTo != null && column.name().endsWith("_id")
                        ? column.name().substring(0, column.name().length() - 3) : column.name();
                fields.add(new Field(column.name(), field, typed, refersTo, false, isKey));
            }
            if (name.equals(Sections.GROUPS)) {
                fields.add(new Field("permissions", "permissions", null, Sections.PERMISSIONS, true, false));
            } else if (name.equals(Sections.USERS)) {
                fields.add(new Field("groups", "groups", null, Sections.GROUPS, true, false));
                fields.add(new Field("user_permissions", "user_permissions", null, Sections.PERMISSIONS, true, false));
            } else if (mapper instanceof IncludedTableMapper included) {
                for (IncludedTableMapper.LinkShape link : included.shape().links()) {
                    fields.add(new Field(link.field(), link.field(), null, link.references(), true, false));
                }
            } else if (name.equals(Sections.OPENAI_MODELS)) {
                List<Table> links = context.schema().linkTables(table.name(), userTable);
                if (links.size() == 1) {
                    String link = links.get(0).name();
                    String field = link.startsWith(table.name() + "_") ? link.substring(table.name().length() + 1) : link;
                    fields.add(new Field(io.djangouserbackup.core.mappers.ModelTableMapper.ASSIGNED_USERS, field, null,
                            Sections.USERS, true, false));
                }
            }
        }

        void write(Row row) throws IOException {
            json.writeStartObject();
            json.writeStringField("model", model);
            if (!naturalPrimary && fields.stream().noneMatch(Field::isKey)) {
                json.writeFieldName("pk");
                DjangoFixtureValues.write(json, row.get(key));
            }
            json.writeObjectFieldStart("fields");
            for (Field field : fields) {
                if (!row.has(field.source)) {
                    continue;
                }
                json.writeFieldName(field.name);
                Object value = row.get(field.source);
                if (field.list) {
                    json.writeStartArray();
                    for (Object item : (List<?>) value) {
                        reference(field.refersTo, item);
                    }
                    json.writeEndArray();
                } else if (field.refersTo != null) {
                    reference(field.refersTo, value);
                } else {
                    DjangoFixtureValues.write(json, DjangoFixtureValues.toFixture(value, field.column));
                }
            }
            json.writeEndObject();
            json.writeEndObject();
        }
    }

    /**
     * A field of the fixture object.
     *
     * @param source   the row's field
     * @param name     the model's field
     * @param column   the column, for a plain value
     * @param refersTo the section a reference points to, or {@code null}
     * @param list     whether it is a many-to-many list
     * @param isKey    whether it is the primary key, written as a field because it refers by natural key
     */
    private record Field(String source, String name, Column column, String refersTo, boolean list, boolean isKey) {
    }

    private static boolean isNatural(String section) {
        return section.equals(Sections.USERS) || section.equals(Sections.GROUPS) || section.equals(Sections.PERMISSIONS)
                || section.equals(IncludedTableMapper.CONTENT_TYPES);
    }

    /** A reference as Django writes it: a natural key for users, groups, permissions and content types, else the key. */
    private void reference(String section, Object value) throws IOException {
        if (value == null) {
            json.writeNull();
        } else if (section.equals(Sections.USERS)) {
            naturalKey(List.of(username(((Number) value).longValue())));
        } else if (section.equals(Sections.GROUPS)) {
            naturalKey(List.of(value));
        } else if (section.equals(Sections.PERMISSIONS)) {
            Row permission = (Row) value;
            naturalKey(List.of(permission.get("codename"), permission.get("app_label"), permission.get("model")));
        } else if (section.equals(IncludedTableMapper.CONTENT_TYPES)) {
            Row contentType = (Row) value;
            naturalKey(List.of(contentType.get("app_label"), contentType.get("model")));
        } else {
            DjangoFixtureValues.write(json, value);
        }
    }

    private void naturalKey(List<Object> parts) throws IOException {
        json.writeStartArray();
        for (Object part : parts) {
            json.writeString((String) part);
        }
        json.writeEndArray();
    }

    /** The username of a user id, read in the export's snapshot. */
    private String username(long id) {
        String known = usernames.get(id);
        if (known != null) {
            return known;
        }
        try {
            if (usernameQuery == null) {
                Connection connection = handle.getConnection();
                Table users = context.schema().require(userTable);
                String column = io.djangouserbackup.core.mappers.UsersMapper.usernameColumn(context, users).orElseThrow(() ->
                        new IncompatibleDatabaseException("table " + userTable + " has no username column, nor one unique"
                                + " NOT NULL text column (its USERNAME_FIELD) that names a user in a fixture; nothing was written"));
                usernameQuery = connection.prepareStatement("SELECT " + context.dialect().quote(column) + " FROM "
                        + context.dialect().quote(userTable) + " WHERE id = ?");
            }
            usernameQuery.setLong(1, id);
            try (ResultSet rs = usernameQuery.executeQuery()) {
                if (!rs.next()) {
                    throw new IncompatibleDatabaseException("a row of " + section.model + " refers to user id " + id
                            + ", which " + userTable + " does not hold; nothing was written");
                }
                String username = rs.getString(1);
                usernames.put(id, username);
                return username;
            }
        } catch (SQLException e) {
            throw new io.djangouserbackup.core.DatabaseAccessException("reading " + userTable + " failed: " + e.getMessage(), e);
        }
    }
}
