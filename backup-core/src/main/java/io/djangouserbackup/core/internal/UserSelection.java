package io.djangouserbackup.core.internal;

import io.djangouserbackup.core.InvalidBackupException;
import io.djangouserbackup.core.mappers.IncludedTableMapper;
import io.djangouserbackup.core.mappers.ModelTableMapper;
import io.djangouserbackup.model.BackupHeader;
import io.djangouserbackup.model.Row;
import io.djangouserbackup.model.SectionSchema;
import io.djangouserbackup.model.Sections;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The part of a backup that belongs to some users, by username: their own rows (with their memberships and direct
 * permissions), the groups and permissions they refer to, the OpenAI models (and rows of sections like them)
 * assigned to them with only their assignments, and the rows of included tables that refer to them, directly or
 * through another such row.
 *
 * <p>Used in two steps over the same rows: {@link #scanner()} sees every row once and works out the closure;
 * {@link #filter} then passes on only the rows of the closure, rewritten where a row lists other users. A row of an
 * included table that belongs to a selected user but also refers to a user or an included row outside the closure
 * is left out (noted), since restoring it would need rows this selection does not restore.
 */
public final class UserSelection {
    private final SortedSet<String> usernames;
    private final Map<String, IncludedTableMapper.Shape> shapes = new HashMap<>();
    private final Set<String> found = new HashSet<>();
    private final Set<Long> userIds = new HashSet<>();
    private final Set<String> groups = new HashSet<>();
    private final Map<String, List<Object>> groupPermissions = new HashMap<>();
    private final Set<List<String>> permissions = new HashSet<>();
    /** Sections like openai_models (rows listing assigned_users): the ids of the rows needed. */
    private final Map<String, Set<Long>> assignedRows = new HashMap<>();
    /** Sections like openai_models: the ids of every row of the backup. */
    private final Map<String, Set<Long>> allAssignedRows = new HashMap<>();
    /** Each section's table, as the backup's header names it. */
    private final Map<String, String> tables = new HashMap<>();
    /** Included sections: the keys of the rows that belong to the selected users. */
    private final Map<String, Set<Object>> belonging = new HashMap<>();
    private final Map<String, Long> leftOut = new LinkedHashMap<>();
    /**
     * Rows that refer to a selected user by a column and also to users or included rows outside the selection (her
     * profile naming another user's profile as mentor, a message from her to another user), in document order: restored when what they refer to
     * outside is in the target ({@link #admitWhereTargetHas}), else left out.
     */
    private final List<Candidate> candidates = new ArrayList<>();
    /** Users and included rows outside the selection that admitted rows refer to, by section. */
    private final Map<String, Set<Object>> referencedOutside = new LinkedHashMap<>();

    private record Candidate(String section, Object key, List<Map.Entry<String, Object>> outside, List<Runnable> needs) {
    }
    private final Set<String> otherSections = new TreeSet<>();
    private boolean scanned;
    private boolean completed;

    /**
     * A selection of the named users.
     *
     * @throws IllegalArgumentException when there is none, or a username is empty
     */
    public UserSelection(Iterable<String> usernames) {
        this.usernames = new TreeSet<>();
        for (String username : usernames) {
            if (username == null || username.isEmpty()) {
                throw new IllegalArgumentException("a username is empty");
            }
            this.usernames.add(username);
        }
        if (this.usernames.isEmpty()) {
            throw new IllegalArgumentException("no username to select");
        }
    }

    /** The usernames, sorted. */
    public List<String> usernames() {
        return List.copyOf(usernames);
    }

    /** Whether the user of this id (in the backup, which is also the target's id) is selected; known once scanned. */
    public boolean isSelectedUser(long id) {
        return userIds.contains(id);
    }

    /** The sections whose existing target rows a selective import leaves as they are. */
    public Set<String> keptSections() {
        Set<String> kept = new HashSet<>(assignedRows.keySet());
        kept.add(Sections.GROUPS);
        kept.add(Sections.OPENAI_MODELS);
        return kept;
    }

    /** The sections whose rows list their users ({@code assigned_users}), with the table the header names or null. */
    public Map<String, String> assignedSections() {
        Map<String, String> sections = new HashMap<>();
        assignedRows.keySet().forEach(section -> sections.put(section, tables.get(section)));
        return sections;
    }

    /**
     * Adds rows of such a section that the target links to a selected user: those the backup holds are restored too
     * (kept as they are), so that a link the backup does not have is removed and the user's assignments end up the
     * backup's.
     */
    public void needAssigned(String section, java.util.Collection<Long> linkedInTarget) {
        Set<Long> inBackup = allAssignedRows.getOrDefault(section, Set.of());
        Set<Long> needed = assignedRows.computeIfAbsent(section, s -> new HashSet<>());
        linkedInTarget.stream().filter(inBackup::contains).forEach(needed::add);
    }

    /** The ids of the selected users, as the backup has them. */
    public Set<Long> userIds() {
        return java.util.Collections.unmodifiableSet(userIds);
    }

    /** Refuses a selection naming a user the backup does not hold, naming the users; nothing was imported. */
    public void requireAllFound() {
        String missing = missing();
        if (missing != null) {
            throw new InvalidBackupException(Sections.USERS, missing + " in the backup; nothing was imported");
        }
    }

    /** Refuses a selection naming a user the database does not hold, naming the users; nothing was exported. */
    public void requireAllInDatabase() {
        String missing = missing();
        if (missing != null) {
            throw new io.djangouserbackup.core.IncompatibleDatabaseException(missing + " in the database; no backup was"
                    + " written");
        }
    }

    private String missing() {
        List<String> missing = usernames.stream().filter(u -> !found.contains(u)).toList();
        if (missing.isEmpty()) {
            return null;
        }
        return missing.size() == 1 ? "no user '" + missing.get(0) + "'"
                : "no users " + String.join(", ", missing.stream().map(u -> "'" + u + "'").toList());
    }

    /** Things worth knowing about what the selection leaves out. */
    public List<String> notes() {
        List<String> notes = new ArrayList<>();
        leftOut.forEach((section, count) -> notes.add(section + ": " + count + (count == 1 ? " row refers" : " rows refer")
                + " both to the selected users (or their rows) and to users or rows outside the selection that the"
                + " restore could not point at: left out"));
        if (!otherSections.isEmpty()) {
            notes.add("sections " + otherSections + " are not tied to users and are left out of a selection");
        }
        return notes;
    }

    /** The first step: sees every row of the backup, in document order, and works out what belongs to the users. */
    public DocumentReader.Handler scanner() {
        return new DocumentReader.Handler() {
            @Override
            public void header(BackupHeader header) {
                header.sections().forEach((section, schema) -> {
                    tables.put(section, schema.table());
                    describe(section, schema);
                });
            }

            @Override
            public void beginSection(String name) {
            }

            @Override
            public void row(String section, int index, Row row) {
                scan(section, row);
            }

            @Override
            public void endSection(String name, int count) {
            }
        };
    }

    /** Learns an included section's shape from the header (sections that describe a primary key and references). */
    public void describe(String section, SectionSchema schema) {
        if (schema.more().has("key") && !isBuiltIn(section)) {
            shapes.put(section, IncludedTableMapper.fromDescription(section, schema, "sections." + section).shape());
        }
    }

    /** The shape of an included section, or null. */
    public IncludedTableMapper.Shape shape(String section) {
        return shapes.get(section);
    }

    /** Learns an included section's shape from a configured mapper. */
    public void describe(String section, IncludedTableMapper.Shape shape) {
        shapes.put(section, shape);
    }

    private static boolean isBuiltIn(String section) {
        return section.equals(Sections.USERS) || section.equals(Sections.GROUPS) || section.equals(Sections.PERMISSIONS)
                || section.equals(Sections.OPENAI_MODELS);
    }

    /** Sees one row of the backup (rows of a section in document order, sections in document order). */
    public void scan(String section, Row row) {
        scanned = true;
        switch (section) {
            case Sections.PERMISSIONS -> {
            }
            case Sections.GROUPS -> {
                if (row.get("name") instanceof String name && row.get("permissions") instanceof List<?> list) {
                    groupPermissions.put(name, List.copyOf(list));
                }
            }
            case Sections.USERS -> {
                if (row.get("username") instanceof String username && usernames.contains(username)
                        && row.get("id") instanceof Long id) {
                    found.add(username);
                    userIds.add(id);
                    if (row.get("groups") instanceof List<?> names) {
                        names.forEach(n -> groups.add(String.valueOf(n)));
                    }
                    if (row.get("user_permissions") instanceof List<?> keys) {
                        keys.forEach(this::needPermission);
                    }
                }
            }
            default -> {
                IncludedTableMapper.Shape shape = shapes.get(section);
                if (shape != null) {
                    scanIncluded(section, shape, row);
                } else if (section.equals(Sections.OPENAI_MODELS) || row.has(ModelTableMapper.ASSIGNED_USERS)) {
                    Set<Long> needed = assignedRows.computeIfAbsent(section, s -> new HashSet<>());
                    if (row.get("id") instanceof Long id) {
                        allAssignedRows.computeIfAbsent(section, s -> new HashSet<>()).add(id);
                    }
                    if (row.get(ModelTableMapper.ASSIGNED_USERS) instanceof List<?> assigned
                            && assigned.stream().anyMatch(u -> u instanceof Long id && userIds.contains(id))
                            && row.get("id") instanceof Long id) {
                        needed.add(id);
                    }
                } else {
                    otherSections.add(section);
                }
            }
        }
    }

    private void needPermission(Object key) {
        if (key instanceof Row row) {
            permissions.add(List.of(String.valueOf(row.get("app_label")), String.valueOf(row.get("model")),
                    String.valueOf(row.get("codename"))));
        }
    }

    private void scanIncluded(String section, IncludedTableMapper.Shape shape, Row row) {
        boolean tied = false;
        // A column naming a selected user makes the row theirs, whatever else it names (a message's sender).
        boolean tiedByColumn = false;
        boolean outside = false;
        List<Map.Entry<String, Object>> outsideReferences = new ArrayList<>();
        List<Runnable> needs = new ArrayList<>();
        for (Map.Entry<String, String> reference : shape.references().entrySet()) {
            Object value = row.get(reference.getKey());
            if (value == null) {
                continue;
            }
            String target = reference.getValue();
            if (target.equals(Sections.USERS)) {
                if (value instanceof Long id && userIds.contains(id)) {
                    tied = true;
                    tiedByColumn = true;
                } else {
                    outside = true;
                    outsideReferences.add(Map.entry(target, value));
                }
            } else if (shapes.containsKey(target)) {
                if (belonging.getOrDefault(target, Set.of()).contains(value)) {
                    tied = true;
                } else {
                    outside = true;
                    outsideReferences.add(Map.entry(target, value));
                }
            } else {
                needs.add(() -> need(target, value));
            }
        }
        for (IncludedTableMapper.LinkShape link : shape.links()) {
            if (!(row.get(link.field()) instanceof List<?> values)) {
                continue;
            }
            String target = link.references();
            if (target.equals(Sections.USERS)) {
                tied |= values.stream().anyMatch(v -> v instanceof Long id && userIds.contains(id));
            } else if (!shapes.containsKey(target)) {
                values.forEach(v -> needs.add(() -> need(target, v)));
            }
        }
        if (!tied) {
            return;
        }
        if (outside) {
            if (tiedByColumn) {
                candidates.add(new Candidate(section, row.get(shape.key()), outsideReferences, needs));
            } else {
                // Tied only through a list or another row (another user's project listing her, another user's
                // profile naming hers as mentor): the row is someone else's.
                leftOut.merge(section, 1L, Long::sum);
            }
            return;
        }
        belonging.computeIfAbsent(section, s -> new HashSet<>()).add(row.get(shape.key()));
        needs.forEach(Runnable::run);
    }

    /**
     * Decides the rows that refer both to the selected users and to users or rows outside the selection: each is
     * restored when everything it refers to outside is in the target (or is such a row restored before it), else
     * left out. An export, which must restore on its own, passes a test that is always false.
     *
     * @param inTarget whether the target holds the row of the section (users or an included section) with the key
     */
    public void admitWhereTargetHas(java.util.function.BiPredicate<String, Object> inTarget) {
        for (Candidate candidate : candidates) {
            boolean admitted = candidate.outside().stream().allMatch(reference ->
                    belonging.getOrDefault(reference.getKey(), Set.of()).contains(reference.getValue())
                            || inTarget.test(reference.getKey(), reference.getValue()));
            if (admitted) {
                belonging.computeIfAbsent(candidate.section(), s -> new HashSet<>()).add(candidate.key());
                candidate.needs().forEach(Runnable::run);
                for (Map.Entry<String, Object> reference : candidate.outside()) {
                    if (!belonging.getOrDefault(reference.getKey(), Set.of()).contains(reference.getValue())) {
                        referencedOutside.computeIfAbsent(reference.getKey(), s -> new java.util.LinkedHashSet<>())
                                .add(reference.getValue());
                    }
                }
            } else {
                leftOut.merge(candidate.section(), 1L, Long::sum);
            }
        }
        candidates.clear();
    }

    /**
     * The users and included rows outside the selection that restored rows refer to, by section: the target holds
     * them, and an import declares them so that the references check.
     */
    public Map<String, Set<Object>> referencedOutside() {
        return java.util.Collections.unmodifiableMap(referencedOutside);
    }

    private void need(String section, Object value) {
        switch (section) {
            case Sections.GROUPS -> groups.add(String.valueOf(value));
            case Sections.PERMISSIONS -> needPermission(value);
            case IncludedTableMapper.CONTENT_TYPES -> {
            }
            default -> {
                if (value instanceof Long id) {
                    assignedRows.computeIfAbsent(section, s -> new HashSet<>()).add(id);
                }
            }
        }
    }

    /**
     * The rows of the closure, as a row of the section would be passed on ({@code null} when it is left out): a
     * row listing users lists only the selected ones; a row of an included table lists only rows of the closure.
     */
    public Row select(String section, Row row) {
        if (!scanned) {
            throw new IllegalStateException("the selection has not seen the backup");
        }
        if (!completed) {
            // Rows not yet decided are left out (an export, or a caller that did not ask the target).
            admitWhereTargetHas((section1, key) -> false);
            // Permissions of the groups the users need: a group the target lacks is created with its permissions.
            for (String group : groups) {
                groupPermissions.getOrDefault(group, List.of()).forEach(this::needPermission);
            }
            completed = true;
        }
        switch (section) {
            case Sections.PERMISSIONS:
                return permissions.contains(List.of(String.valueOf(row.get("app_label")), String.valueOf(row.get("model")),
                        String.valueOf(row.get("codename")))) ? row : null;
            case Sections.GROUPS:
                if (!groups.contains(String.valueOf(row.get("name")))) {
                    return null;
                }
                return row;
            case Sections.USERS:
                return row.get("id") instanceof Long id && userIds.contains(id) ? row : null;
            default:
                IncludedTableMapper.Shape shape = shapes.get(section);
                if (shape != null) {
                    if (!belonging.getOrDefault(section, Set.of()).contains(row.get(shape.key()))) {
                        return null;
                    }
                    Row selected = row;
                    for (IncludedTableMapper.LinkShape link : shape.links()) {
                        String target = link.references();
                        if (row.get(link.field()) instanceof List<?> values) {
                            if (target.equals(Sections.USERS)) {
                                selected = selected.with(link.field(), onlySelectedUsers(values));
                            } else if (shapes.containsKey(target)) {
                                Set<Object> kept = belonging.getOrDefault(target, Set.of());
                                selected = selected.with(link.field(), values.stream().filter(kept::contains).toList());
                            }
                        }
                    }
                    return selected;
                }
                Set<Long> needed = assignedRows.get(section);
                if (needed == null || !(row.get("id") instanceof Long id) || !needed.contains(id)) {
                    return null;
                }
                return row.get(ModelTableMapper.ASSIGNED_USERS) instanceof List<?> assigned
                        ? row.with(ModelTableMapper.ASSIGNED_USERS, onlySelectedUsers(assigned)) : row;
        }
    }

    private List<Object> onlySelectedUsers(List<?> values) {
        return values.stream().filter(v -> v instanceof Long id && userIds.contains(id)).map(v -> (Object) v).toList();
    }

    /** The second step: passes on to the handler only the rows of the closure (see {@link #select}). */
    public DocumentReader.Handler filter(DocumentReader.Handler downstream) {
        return new DocumentReader.Handler() {
            private int passed;

            @Override
            public void header(BackupHeader header) {
                downstream.header(header);
            }

            @Override
            public void beginSection(String name) {
                passed = 0;
                downstream.beginSection(name);
            }

            @Override
            public void row(String section, int index, Row row) {
                Row selected = select(section, row);
                if (selected != null) {
                    passed++;
                    // The backup's own index, so that a message names the row where it stands in the file.
                    downstream.row(section, index, selected);
                }
            }

            @Override
            public void endSection(String name, int count) {
                downstream.endSection(name, passed);
            }
        };
    }
}
