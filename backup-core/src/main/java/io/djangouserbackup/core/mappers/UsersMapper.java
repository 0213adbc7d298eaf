package io.djangouserbackup.core.mappers;

import io.djangouserbackup.core.InvalidBackupException;
import io.djangouserbackup.core.internal.DeclaredTypes;
import io.djangouserbackup.core.spi.Column;
import io.djangouserbackup.core.spi.ColumnType;
import io.djangouserbackup.core.spi.ColumnValues;
import io.djangouserbackup.core.spi.LinkTable;
import io.djangouserbackup.core.spi.MapperContext;
import io.djangouserbackup.core.spi.Reference;
import io.djangouserbackup.core.spi.RowAction;
import io.djangouserbackup.core.spi.SectionRun;
import io.djangouserbackup.core.spi.Table;
import io.djangouserbackup.core.spi.TableMapper;
import io.djangouserbackup.core.spi.UniqueValues;
import io.djangouserbackup.model.Row;
import io.djangouserbackup.model.Sections;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The {@code users} section: every row of the user table (Django's {@code auth_user}, or the table of a custom
 * {@code AUTH_USER_MODEL}) with every column as a field, plus {@code groups} (names, sorted) and
 * {@code user_permissions} (natural keys, sorted). Users keep their ids on import.
 */
public final class UsersMapper implements TableMapper {

    /** The columns of Django's own {@code auth_user}, used to check a backup when there is no database. */
    private static final Map<String, Column> DJANGO_USER_COLUMNS = Stream.of(
                    column("id", "integer", true), column("password", "varchar(128)", true),
                    column("last_login", "datetime", false), column("is_superuser", "bool", true),
                    column("username", "varchar(150)", true), column("first_name", "varchar(150)", true),
                    column("last_name", "varchar(150)", true), column("email", "varchar(254)", true),
                    column("is_staff", "bool", true), column("is_active", "bool", true),
                    column("date_joined", "datetime", true))
            .collect(Collectors.toMap(Column::name, c -> c));

    @Override
    public String section() {
        return Sections.USERS;
    }

    @Override
    public List<String> dependsOn() {
        return List.of(Sections.PERMISSIONS, Sections.GROUPS);
    }

    @Override
    public SectionRun start(MapperContext context) {
        return new Run(context);
    }

    /**
     * The column that names a user, as Django's {@code USERNAME_FIELD} does: {@code username} when the user table has
     * one; for a custom user model without it, the one unique NOT NULL text column (an {@code email}), since Django
     * requires {@code USERNAME_FIELD} to be unique. Empty when there is none, or several to choose from.
     *
     * @param context a context with a database
     * @param table   the user table
     */
    public static Optional<String> usernameColumn(MapperContext context, Table table) {
        if (table.column("username").isPresent()) {
            return Optional.of("username");
        }
        List<String> candidates = UniqueValues.uniqueIndexes(context, table, "id").stream()
                .filter(columns -> columns.size() == 1)
                .map(columns -> columns.get(0))
                .filter(name -> table.column(name).map(c -> c.notNull() && c.type() == ColumnType.TEXT).orElse(false))
                .toList();
        return candidates.size() == 1 ? Optional.of(candidates.get(0)) : Optional.empty();
    }

    private static Column column(String name, String declaredType, boolean notNull) {
        return DeclaredTypes.parse(name, declaredType, notNull, false, name.equals("id"));
    }

    private static final class Run extends IdTableRun {
        Run(MapperContext context) {
            super(context, Sections.USERS);
        }

        @Override
        protected Table findTable() {
            return context.schema().require(context.userTable());
        }

        @Override
        protected List<LinkTable> findLinks(Table table) {
            List<LinkTable> links = new ArrayList<>();
            LinkTable groups = LinkTable.find(context.schema(), "groups", table.name(), "auth_group", Reference.groups());
            LinkTable permissions = LinkTable.find(context.schema(), "user_permissions", table.name(), "auth_permission",
                    Reference.permissions());
            if (groups != null) {
                links.add(groups);
            }
            if (permissions != null) {
                links.add(permissions);
            }
            return links;
        }

        @Override
        protected String identityColumn() {
            if (context.handle().isEmpty() || table() == null) {
                return "username";
            }
            return usernameColumn(context, table()).orElse(null);
        }

        @Override
        protected List<LinkTable> linksWithoutDatabase() {
            return List.of(LinkTable.forCheck("groups", Reference.groups()),
                    LinkTable.forCheck("user_permissions", Reference.permissions()));
        }

        @Override
        protected void checkWithoutDatabase(Row row, String place) {
            super.checkWithoutDatabase(row, place);
            Fields.requireString(row, "password", place);
            for (int f = 0; f < row.size(); f++) {
                String name = row.name(f);
                Object value = row.value(f);
                Column known = DJANGO_USER_COLUMNS.get(name);
                if (known != null) {
                    ColumnValues.check(value, known, "auth_user", place, name);
                }
            }
        }

        @Override
        protected void checkAgainstTarget(Row row, String place, long id, RowAction action) {
            if (!row.has("password")) {
                throw new InvalidBackupException(place + ".password", "missing");
            }
        }
    }
}
