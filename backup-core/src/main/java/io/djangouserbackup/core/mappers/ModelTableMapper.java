package io.djangouserbackup.core.mappers;

import io.djangouserbackup.core.IncompatibleDatabaseException;
import io.djangouserbackup.core.internal.SqliteDialect;
import io.djangouserbackup.core.spi.LinkTable;
import io.djangouserbackup.core.spi.MapperContext;
import io.djangouserbackup.core.spi.Reference;
import io.djangouserbackup.core.spi.RowAction;
import io.djangouserbackup.core.spi.SectionRun;
import io.djangouserbackup.core.spi.Table;
import io.djangouserbackup.core.spi.TableMapper;
import io.djangouserbackup.model.Row;
import io.djangouserbackup.model.Sections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A section for one Django model table with an integer {@code id}: every column is a field, and the users linked
 * through a many-to-many table are listed as {@code assigned_users} (ids, sorted). Rows keep their ids on import.
 *
 * <p>{@link #openAiModels()} is the built-in {@code openai_models} section; its table is found by name
 * ({@code <app>_openaimodel}). To back up a table of your own:
 *
 * <pre>{@code
 * DjangoDatabase db = DjangoDatabase.sqlite(path).withMapper(new ModelTableMapper("profiles", "accounts_profile"));
 * }</pre>
 */
public final class ModelTableMapper implements TableMapper {

    /** The field that lists the users linked to a row. */
    public static final String ASSIGNED_USERS = "assigned_users";
    private static final String OPENAI_SUFFIX = "_openaimodel";

    private final String section;
    private final String tableName;

    /**
     * A mapper for the given table.
     *
     * @param section   the document key, snake_case
     * @param tableName the table, or {@code null} for the OpenAI model table found by name
     */
    public ModelTableMapper(String section, String tableName) {
        this.section = Objects.requireNonNull(section, "section");
        this.tableName = tableName == null ? null : SqliteDialect.checkIdentifier(tableName);
    }

    /** The {@code openai_models} section, its table found as the one table named {@code <app>_openaimodel}. */
    public static ModelTableMapper openAiModels() {
        return new ModelTableMapper(Sections.OPENAI_MODELS, null);
    }

    /** The {@code openai_models} section from the named table. */
    public static ModelTableMapper openAiModels(String tableName) {
        return new ModelTableMapper(Sections.OPENAI_MODELS, Objects.requireNonNull(tableName, "tableName"));
    }

    @Override
    public String section() {
        return section;
    }

    /** The table named when this mapper was made, or {@code null} for the OpenAI model table found by name. */
    public String tableName() {
        return tableName;
    }

    /** The suffix that names the OpenAI model table ({@code <app>_openaimodel}). */
    public static String openAiSuffix() {
        return OPENAI_SUFFIX;
    }

    @Override
    public List<String> dependsOn() {
        return List.of(Sections.USERS);
    }

    @Override
    public SectionRun start(MapperContext context) {
        return new Run(context);
    }

    private final class Run extends IdTableRun {

        Run(MapperContext context) {
            super(context, ModelTableMapper.this.section);
        }

        @Override
        protected Table findTable() {
            if (tableName != null) {
                return context.schema().require(tableName);
            }
            List<String> candidates = context.schema().tableNames().stream()
                    .filter(name -> name.toLowerCase(Locale.ROOT).endsWith(OPENAI_SUFFIX)).toList();
            if (candidates.size() > 1) {
                throw new IncompatibleDatabaseException("several OpenAI model tables " + candidates
                        + "; name the one to back up");
            }
            if (candidates.isEmpty()) {
                context.note("no OpenAI model table (<app>" + OPENAI_SUFFIX + ") in the database: " + section + " is empty");
                return null;
            }
            return context.schema().require(candidates.get(0));
        }

        @Override
        protected List<LinkTable> findLinks(Table table) {
            LinkTable users = LinkTable.find(context.schema(), ASSIGNED_USERS, table.name(), context.userTable(), Reference.users());
            if (users != null && table.column(ASSIGNED_USERS).isPresent()) {
                throw new IncompatibleDatabaseException("table " + table.name() + " has a column " + ASSIGNED_USERS
                        + ", the name of the field that lists its users");
            }
            return users == null ? List.of() : List.of(users);
        }

        /** An OpenAI model is its unique name; other tables have no identity but their id. */
        @Override
        protected String identityColumn() {
            return section.equals(Sections.OPENAI_MODELS) ? "name" : null;
        }

        @Override
        protected List<LinkTable> linksWithoutDatabase() {
            return List.of(LinkTable.forCheck(ASSIGNED_USERS, Reference.users()));
        }

        @Override
        public RowAction check(Row row, String place) {
            if (context.handle().isPresent() && table() == null) {
                throw new IncompatibleDatabaseException(place + ": the target database has no OpenAI model table "
                        + "(<app>" + OPENAI_SUFFIX + ") to restore " + section + " into");
            }
            return super.check(row, place);
        }
    }
}
