package io.djangouserbackup.core.mappers;

import io.djangouserbackup.core.ImportMode;
import io.djangouserbackup.core.InvalidBackupException;
import io.djangouserbackup.core.spi.Dialect;
import io.djangouserbackup.core.spi.LinkTable;
import io.djangouserbackup.core.spi.MapperContext;
import io.djangouserbackup.core.spi.Reference;
import io.djangouserbackup.core.spi.RowAction;
import io.djangouserbackup.core.spi.SectionRun;
import io.djangouserbackup.core.spi.Table;
import io.djangouserbackup.core.spi.TableMapper;
import io.djangouserbackup.core.spi.UniqueText;
import io.djangouserbackup.model.Row;
import io.djangouserbackup.model.Sections;
import io.djangouserbackup.core.internal.Jdbc;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The {@code groups} section: every row of {@code auth_group}, {@code {"id", "name", "permissions"}}, by id, with
 * its permissions by natural key.
 *
 * <p>On import a group is matched by name, since that is what a group is to its users. A group the target lacks is
 * created with the backup's id when that id is free, so a restore into a fresh database gives back the same ids.
 */
public final class GroupsMapper implements TableMapper {

    @Override
    public String section() {
        return Sections.GROUPS;
    }

    @Override
    public List<String> dependsOn() {
        return List.of(Sections.PERMISSIONS);
    }

    @Override
    public SectionRun start(MapperContext context) {
        return new Run(context);
    }

    private static final class Run extends IdTableRun {
        private Map<String, Long> targetByName;
        private final Map<String, Long> backupIdByName = new HashMap<>();
        private final List<Long> absentIds = new ArrayList<>();
        private UniqueText names;

        Run(MapperContext context) {
            super(context, Sections.GROUPS);
        }

        @Override
        protected Table findTable() {
            return context.schema().require("auth_group");
        }

        @Override
        protected List<LinkTable> findLinks(Table table) {
            LinkTable permissions = LinkTable.find(context.schema(), "permissions", table.name(), "auth_permission",
                    Reference.permissions());
            return permissions == null ? List.of() : List.of(permissions);
        }

        @Override
        protected List<LinkTable> linksWithoutDatabase() {
            return List.of(LinkTable.forCheck("permissions", Reference.permissions()));
        }

        /** The check of group names, made once the table is known. */
        private UniqueText names() {
            if (names == null) {
                names = UniqueText.of(context, Sections.GROUPS, table(), "id", "name");
            }
            return names;
        }

        /** A group is matched by name. */
        @Override
        protected String matchColumn() {
            return "name";
        }

        private Map<String, Long> targetByName() {
            if (targetByName == null) {
                targetByName = new HashMap<>();
                Dialect d = context.dialect();
                Jdbc.forEach(context.handle().orElseThrow(), "SELECT id, name FROM " + d.quote(table().name()),
                        rs -> targetByName.put(rs.getString(2), rs.getLong(1)));
            }
            return targetByName;
        }

        @Override
        public RowAction check(Row row, String place) {
            // Before the generic checks, so a repeated name reads the same with or without a target database.
            String name = Fields.requireString(row, "name", place);
            if (!context.references().declare(Sections.GROUPS, name)) {
                throw new InvalidBackupException(place + ".name", "group '" + name + "' appears twice in groups");
            }
            super.check(row, place);
            backupIdByName.put(name, (Long) row.get("id"));
            if (context.handle().isEmpty()) {
                return RowAction.SKIP;
            }
            names().add(name, place);
            if (context.keepsExisting(Sections.GROUPS) && targetByName().containsKey(name)) {
                return RowAction.SKIP;
            }
            if (!targetByName().containsKey(name) && context.mode() == ImportMode.MERGE) {
                // The target's collation may hold the name as one of its groups written differently (Editors for
                // editors): creating it would break the unique index, and a merge must not rename the target's group.
                Optional<UniqueText.TargetRow> same = names().inTarget(name);
                if (same.isPresent()) {
                    throw names().differentlyWritten(place, name, same.get());
                }
            }
            return keeps(name, targetByName().get(name)) ? RowAction.UPDATE : RowAction.CREATE;
        }

        /**
         * Whether the target's group of this name stays and is updated. A merge matches groups by name; a replace
         * also needs the backup's id, so that afterwards the target equals the backup, ids included.
         */
        private boolean keeps(String name, Long targetId) {
            if (targetId == null || !backupIdByName.containsKey(name)) {
                return false;
            }
            return context.mode() == ImportMode.MERGE || targetId.equals(backupIdByName.get(name));
        }

        @Override
        public long absentRows() {
            if (context.handle().isPresent()) {
                names().judge();
            }
            if (context.mode() != ImportMode.REPLACE) {
                return 0;
            }
            targetByName().forEach((name, id) -> {
                if (!keeps(name, id)) {
                    absentIds.add(id);
                }
            });
            return absentIds.size();
        }

        @Override
        public void beforeWrite() {
            removeRows(absentIds);
            targetByName().values().removeAll(absentIds);
        }

        @Override
        public void write(Row row, String place) {
            Handle handle = context.handle().orElseThrow();
            Dialect d = context.dialect();
            String name = (String) row.get("name");
            long backupId = (Long) row.get("id");
            Long id = targetByName().get(name);
            boolean existed = id != null;
            if (!existed) {
                boolean idFree = !targetByName().containsValue(backupId);
                id = idFree
                        ? Jdbc.insertReturningId(handle, "INSERT INTO " + d.quote(table().name()) + " (id, name) VALUES (?, ?)", "id",
                                backupId, name)
                        : Jdbc.insertReturningId(handle, "INSERT INTO " + d.quote(table().name()) + " (name) VALUES (?)", "id", name);
                targetByName().put(name, id);
            }
            context.references().resolve(Sections.GROUPS, name, id);
            if (existed && context.keepsExisting(Sections.GROUPS)) {
                // A selective import: the group stays as it is, permissions and other members included.
                return;
            }
            try {
                syncLinks(id, row, existed);
                batch().maybeFlush();
            } catch (SQLException e) {
                throw new io.djangouserbackup.core.DatabaseAccessException(place + ": writing group permissions failed: "
                        + e.getMessage(), e);
            }
        }
    }
}
