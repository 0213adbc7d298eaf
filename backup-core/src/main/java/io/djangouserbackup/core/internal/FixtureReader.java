package io.djangouserbackup.core.internal;

import io.djangouserbackup.core.IncompatibleDatabaseException;
import io.djangouserbackup.core.InvalidBackupException;
import io.djangouserbackup.core.mappers.IncludedTableMapper;
import io.djangouserbackup.core.mappers.ModelTableMapper;
import io.djangouserbackup.core.spi.Column;
import io.djangouserbackup.core.spi.Table;
import io.djangouserbackup.model.BackupHeader;
import io.djangouserbackup.model.DjangoVersion;
import io.djangouserbackup.model.PermissionKey;
import io.djangouserbackup.model.Row;
import io.djangouserbackup.model.Sections;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a Django JSON fixture ({@code manage.py dumpdata} output: {@code [{"model": "auth.user", "pk": 1,
 * "fields": {...}}, ...]}) and hands it on as a backup document, header and sections in the backup's order, so
 * that everything an import does with a backup (check pass, plan, merge or replace, {@code --user}) works on a
 * fixture unchanged. Problems name the fixture's place, e.g. {@code [17].fields.username}. The entries themselves
 * are streamed by {@link FixtureEntries}; the target's part is asked of a {@link FixtureTarget}.
 *
 * <p>Memory stays flat however many users the fixture holds: the fixture is read in passes, each streaming it
 * whole. The first pass checks every entry and keeps what is small (content types, permissions, groups, and the
 * usernames that OpenAI models refer to by natural key); the next pass hands on the users, and the OpenAI models
 * with them when every user comes before every model (as {@code dumpdata} writes them), else in one more pass.
 *
 * <p>Accepted: users (the target's user model), groups, permissions, content types and OpenAI models
 * ({@code <app>.openaimodel}); with or without {@code --natural-foreign} and {@code --natural-primary}. A fixture
 * without natural keys refers to permissions by id: accepted only where each id means the same permission in the
 * fixture and in the target. Content types and permissions are never written as they are: they are matched to
 * the target's by natural key, and their ids only translate the fixture's references. Rows of the tables an
 * import includes ({@link FixtureTarget#include}: {@code import --table}) are accepted too, each table in a pass
 * of its own after the users, as a backup's included sections: the entry's model names its table through
 * {@link ModelLabels}, references to users, groups, permissions and content types are resolved as the users'
 * are (natural key or id), to other included rows by key.
 */
public final class FixtureReader {

    /** Opens the fixture's bytes afresh for each pass. */
    public interface Opener {
        java.io.InputStream open() throws IOException;
    }


    private static final String REDUMP = "re-dump it with manage.py dumpdata --natural-foreign";

    private final FixtureTarget target;

    // What the first pass keeps.
    private final Map<Long, List<String>> contentTypesById = new HashMap<>();
    private final Map<Long, PermissionKey> permissionsById = new HashMap<>();
    private final Map<PermissionKey, String> permissionNames = new LinkedHashMap<>();
    private final Map<PermissionKey, Integer> permissionPlaces = new HashMap<>();
    private final List<PendingPermission> pendingPermissions = new ArrayList<>();
    private final List<Group> groups = new ArrayList<>();
    private final Map<Long, String> groupNamesById = new HashMap<>();
    private final Set<String> groupNames = new HashSet<>();
    /** Each permission users refer to (a natural key or an id), with the first place that does. */
    private final Map<Object, String> userPermissions = new LinkedHashMap<>();
    private final Map<Long, PermissionKey> permissionsByReferencedId = new HashMap<>();
    private final Map<String, Long> referencedUsers = new HashMap<>();
    private final Set<String> kinds = new HashSet<>();
    private long lastUser = -1;
    private long firstModel = -1;
    private long maxUserPk;
    private long nextUserId;
    private boolean usersHavePk;
    private String userLabel;


    /** A reader for an import into the target, or, with null, for a check of the fixture alone. */
    public FixtureReader(FixtureTarget target) {
        this.target = target;
    }

    /**
     * Whether the stream holds a fixture rather than a backup: its first byte that is not white space is {@code [}
     * (a backup starts with <code>{</code>). The stream must support mark and reset; it is left where it was.
     */
    public static boolean isFixture(java.io.InputStream in) throws IOException {
        int limit = 64 * 1024;
        in.mark(limit);
        try {
            for (int i = 0; i < limit; i++) {
                int b = in.read();
                if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                    return b == '[';
                }
            }
            return false;
        } finally {
            in.reset();
        }
    }

    private record PendingPermission(int index, Long pk, Object contentType, String codename, String name) {
    }

    private record Group(int index, Long pk, String name, List<Object> permissions) {
    }

    /**
     * Reads the fixture into the handler as a backup document.
     *
     * @return the SHA-256 of the fixture's bytes, as the last pass read them
     */
    public String read(Opener fixture, DocumentReader.Handler handler) throws IOException {
        scan(fixture);
        handler.header(new BackupHeader(BackupHeader.DJANGO_FIXTURE, "", DjangoVersion.unknown()));
        emitPermissions(handler);
        emitGroups(handler);
        boolean together = lastUser < firstModel || firstModel < 0;
        List<String> sections = together ? List.of(Sections.USERS, Sections.OPENAI_MODELS) : List.of(Sections.USERS);
        String sha256 = pass(fixture, handler, sections);
        if (!together) {
            sha256 = pass(fixture, handler, List.of(Sections.OPENAI_MODELS));
        }
        // Each included table in a pass of its own, in the order they are restored (a row's references first).
        for (String section : target == null ? List.<String>of() : target.includedSections()) {
            if (kinds.contains(section)) {
                sha256 = pass(fixture, handler, List.of(section));
            }
        }
        return sha256;
    }

    // ---- reading entries ------------------------------------------------------------------------------------

    private interface EntryConsumer {
        void entry(int index, String kind, String model, Long pk, Object key, Row fields);
    }

    /** Streams every entry of the fixture, each with its kind; returns the SHA-256 of the fixture's bytes. */
    private String stream(Opener fixture, EntryConsumer consumer) throws IOException {
        return new FixtureEntries().stream(fixture.open(),
                (index, model, key, fields) -> {
                    String kind = kindOf(model, fields, "[" + index + "]");
                    boolean included = includedBySection(kind) != null;
                    if (!included && key != null && (!(key instanceof Long id) || id < 1)) {
                        throw new InvalidBackupException("[" + index + "].pk", "expected a positive integer id (or none,"
                                + " with --natural-primary)");
                    }
                    consumer.entry(index, kind, model, included ? null : (Long) key, key, fields);
                });
    }

    private static final String CONTENT_TYPE = "contenttypes.contenttype";
    private static final String PERMISSION = "auth.permission";
    private static final String GROUP = "auth.group";

    /** What an entry's model is to this reader: one of the kinds above, users or OpenAI models; else refused. */
    private String kindOf(String model, Row fields, String at) {
        if (model.equals(CONTENT_TYPE) || model.equals(PERMISSION) || model.equals(GROUP)) {
            return model;
        }
        if (model.equals(userLabel())) {
            usersSeen = true;
            return Sections.USERS;
        }
        // Without a database (verify) the custom user model's label is unknown: the fixture's one model with the
        // fields every Django user model has (AbstractBaseUser's password and last_login) is it.
        if (target == null && !usersSeen && fields.has("password") && fields.has("last_login")) {
            userLabel = model;
            usersSeen = true;
            return Sections.USERS;
        }
        int dot = model.indexOf('.');
        if (dot > 0 && model.substring(dot + 1).equals(ModelTableMapper.openAiSuffix().substring(1))) {
            return Sections.OPENAI_MODELS;
        }
        IncludedTableMapper included = includedFor(model);
        if (included != null) {
            return included.section();
        }
        throw new InvalidBackupException(at + ".model", "'" + model + "' is not a model this tool restores (only "
                + userLabel() + ", auth.group, auth.permission, contenttypes.contenttype, the OpenAI models and the"
                + " tables named with --table or --all-user-tables), and nothing is restored in part; dump only those"
                + (target != null && target.table(ModelLabels.tableOf(model)).isEmpty()
                        ? ": the target database has no table " + ModelLabels.tableOf(model) + ", and a model whose table"
                                + " has another name (Meta.db_table) cannot be restored from a Django fixture"
                        : ", or include its table: import --table " + ModelLabels.tableOf(model)));
    }

    /** Whether an entry of the user model was seen (verify takes the first model that looks like one). */
    private boolean usersSeen;

    private final Map<String, IncludedTableMapper> includedByLabel = new HashMap<>();

    /** The included table the model label names, or null. */
    private IncludedTableMapper includedFor(String model) {
        if (target == null) {
            return null;
        }
        return includedByLabel.computeIfAbsent(model, target::included);
    }

    private IncludedTableMapper includedBySection(String section) {
        return includedByLabel.values().stream().filter(m -> m != null && m.section().equals(section)).findFirst().orElse(null);
    }

    /** {@code auth.user}, or the custom user model's label as its table names it ({@code accounts_user}). */
    private String userLabel() {
        if (userLabel == null) {
            String table = target == null ? "auth_user" : target.userTable();
            int underscore = table.indexOf('_');
            userLabel = underscore > 0 ? table.substring(0, underscore) + "." + table.substring(underscore + 1) : "auth.user";
        }
        return userLabel;
    }

    // ---- the first pass: check every entry, keep what is small --------------------------------------------------

    private void scan(Opener fixture) throws IOException {
        stream(fixture, (index, kind, model, pk, rawKey, fields) -> {
            String at = "[" + index + "]";
            kinds.add(kind);
            switch (kind) {
                case CONTENT_TYPE -> {
                    List<String> key = List.of(text(fields, "app_label", at), text(fields, "model", at));
                    if (pk != null) {
                        // Matched to the target's by natural key; the id only translates references by id, each
                        // checked against the target where it is used.
                        contentTypesById.put(pk, key);
                    }
                }
                case PERMISSION -> pendingPermissions.add(new PendingPermission(index, pk, fields.get("content_type"),
                        text(fields, "codename", at), text(fields, "name", at)));
                case GROUP -> {
                    String name = text(fields, "name", at);
                    if (!groupNames.add(name)) {
                        throw new InvalidBackupException(at + ".fields.name", "group '" + name + "' appears twice in the fixture");
                    }
                    if (pk != null) {
                        groupNamesById.put(pk, name);
                    }
                    groups.add(new Group(index, pk, name, list(fields, "permissions", at)));
                }
                case Sections.USERS -> {
                    lastUser = index;
                    text(fields, "username", at);
                    if (pk != null) {
                        usersHavePk = true;
                        maxUserPk = Math.max(maxUserPk, pk);
                    }
                    List<Object> permissions = list(fields, "user_permissions", at);
                    for (int i = 0; i < permissions.size(); i++) {
                        // Listed in the permissions section before the users, whether the fixture has them or not.
                        if (permissions.get(i) instanceof Long || permissions.get(i) instanceof List) {
                            userPermissions.putIfAbsent(permissions.get(i), at + ".fields.user_permissions[" + i + "]");
                        }
                    }
                }
                default -> {
                    if (!kind.equals(Sections.OPENAI_MODELS)) {
                        scanIncluded(includedBySection(kind), at, fields);
                        return;
                    }
                    if (firstModel < 0) {
                        firstModel = index;
                    }
                    List<Object> users = list(fields, "users", at);
                    for (int i = 0; i < users.size(); i++) {
                        if (users.get(i) instanceof List<?> key && key.size() == 1 && key.get(0) instanceof String username) {
                            referencedUsers.put(username, null);
                        }
                    }
                }
            }
        });
        resolvePermissions();
        for (Group group : groups) {
            for (int i = 0; i < group.permissions.size(); i++) {
                permission(group.permissions.get(i), "[" + group.index + "].fields.permissions[" + i + "]");
            }
        }
        userPermissions.forEach(this::permission);
        userPermissions.clear();
        nextUserId = Math.max(maxUserPk, target == null ? 0 : target.maxUserId()) + 1;
        requireEveryKindForReplace();
    }

    /** Notes the users and permissions an included table's row refers to by natural key. */
    private void scanIncluded(IncludedTableMapper mapper, String at, Row fields) {
        for (int f = 0; f < fields.size(); f++) {
            String section = referenceOf(mapper, fields.name(f));
            if (section == null) {
                continue;
            }
            String field = at + ".fields." + shown(fields.name(f));
            List<Object> values = linkOf(mapper, fields.name(f)) != null ? list(fields, fields.name(f), at)
                    : java.util.Collections.singletonList(fields.value(f));
            for (int i = 0; i < values.size(); i++) {
                Object value = values.get(i);
                if (section.equals(Sections.USERS) && value instanceof List<?> key && key.size() == 1
                        && key.get(0) instanceof String username) {
                    referencedUsers.put(username, null);
                } else if (section.equals(Sections.PERMISSIONS) && (value instanceof Long || value instanceof List)) {
                    userPermissions.putIfAbsent(value, field);
                }
            }
        }
    }

    /** The section a fixture field of an included table refers to (a foreign key or a link field), or null. */
    private static String referenceOf(IncludedTableMapper mapper, String field) {
        String column = referenceColumn(mapper, field);
        if (column != null) {
            return mapper.shape().references().get(column);
        }
        IncludedTableMapper.LinkShape link = linkOf(mapper, field);
        return link == null ? null : link.references();
    }

    /** The foreign-key column a fixture field names: {@code user} is {@code user_id}, as Django names them. */
    private static String referenceColumn(IncludedTableMapper mapper, String field) {
        Map<String, String> references = mapper.shape().references();
        return references.containsKey(field + "_id") ? field + "_id" : references.containsKey(field) ? field : null;
    }

    private static IncludedTableMapper.LinkShape linkOf(IncludedTableMapper mapper, String field) {
        return mapper.shape().links().stream().filter(l -> l.field().equals(field)).findFirst().orElse(null);
    }

    /** A replace makes the target equal the fixture: a kind of row the fixture lacks would be emptied, if it holds any. */
    private void requireEveryKindForReplace() {
        if (target == null || !target.replaces()) {
            return;
        }
        for (Map.Entry<String, String> kind : Map.of(Sections.USERS, userLabel(), GROUP, GROUP,
                Sections.OPENAI_MODELS, "chat.openaimodel").entrySet()) {
            // A kind the target holds no rows of (a project without an OpenAI model table) loses nothing.
            if (!kinds.contains(kind.getKey()) && target.holdsRows(kind.getKey().equals(GROUP) ? Sections.GROUPS : kind.getKey())) {
                throw new IncompatibleDatabaseException("the fixture holds no " + kind.getValue() + " entries; replace mode"
                        + " would remove every one the target has; merge it instead (or dump those entries too)");
            }
        }
    }

    /** The fixture's permissions by natural key, their content types resolved (by natural key or by id). */
    private void resolvePermissions() {
        for (PendingPermission p : pendingPermissions) {
            String at = "[" + p.index + "].fields.content_type";
            List<String> contentType;
            if (p.contentType instanceof List<?> key && key.size() == 2 && key.get(0) instanceof String app
                    && key.get(1) instanceof String model) {
                contentType = List.of(app, model);
            } else if (p.contentType instanceof Long id) {
                // The fixture's own content types say what the id means; without them, the target's (as loaddata
                // takes it). Either way the permission's id is then checked against the target where it is used.
                contentType = contentTypesById.get(id);
                if (contentType == null && target != null) {
                    contentType = target.contentType(id);
                }
                if (contentType == null) {
                            throw new InvalidBackupException(at, "content type id " + id + (target == null
                            ? " is not in the fixture" : " is neither in the fixture nor in the target database") + "; " + REDUMP);
                }
            } else {
                throw new InvalidBackupException(at, "expected a natural key [app_label, model] or a content type id");
            }
            PermissionKey key = new PermissionKey(contentType.get(0), contentType.get(1), p.codename);
            if (permissionNames.containsKey(key)) {
                throw new InvalidBackupException("[" + p.index + "]", "permission " + key + " appears twice in the fixture");
            }
            permissionNames.put(key, p.name);
            permissionPlaces.put(key, p.index);
            if (p.pk != null) {
                permissionsById.put(p.pk, key);
            }
        }
    }

    /**
     * A permission a group or user refers to: a natural key {@code [codename, app_label, model]}, or an id, which
     * must mean the same permission in the fixture and the target.
     */
    private PermissionKey permission(Object reference, String at) {
        PermissionKey key;
        if (reference instanceof List<?> natural && natural.size() == 3 && natural.get(0) instanceof String codename
                && natural.get(1) instanceof String app && natural.get(2) instanceof String model) {
            key = new PermissionKey(app, model, codename);
        } else if (reference instanceof Long id) {
            key = permissionsByReferencedId.get(id);
            if (key == null) {
                key = permissionById(id, at);
                permissionsByReferencedId.put(id, key);
            }
        } else {
            throw new InvalidBackupException(at, "expected a natural key [codename, app_label, model] or a permission id");
        }
        if (!permissionNames.containsKey(key)) {
            String name = target == null ? key.codename() : target.permissionName(key);
            if (name == null) {
                throw new InvalidBackupException(at, "permission " + key + " is neither in the fixture nor in the target"
                        + " database");
            }
            // Not in the fixture: the target's own, listed so that references to it check.
            permissionNames.put(key, name);
        }
        return key;
    }

    private PermissionKey permissionById(long id, String at) {
        PermissionKey fixtures = permissionsById.get(id);
        PermissionKey targets = target == null ? null : target.permission(id);
        if (fixtures != null && target != null && !fixtures.equals(targets)) {
            throw new InvalidBackupException(at, "permission id " + id + " is " + fixtures + " in the fixture but "
                    + (targets == null ? "no permission" : targets.toString()) + " in the target database; ids without"
                    + " natural keys are safe only where they mean the same in both: " + REDUMP);
        }
        if (fixtures == null && targets == null) {
            throw new InvalidBackupException(at, "permission id " + id + (target == null ? " is not in the fixture"
                    : " is neither in the fixture nor in the target database") + "; " + REDUMP);
        }
        return fixtures != null ? fixtures : targets;
    }

    // ---- handing on ---------------------------------------------------------------------------------------------

    private void emitPermissions(DocumentReader.Handler handler) {
        handler.beginSection(Sections.PERMISSIONS);
        int index = 0;
        for (Map.Entry<PermissionKey, String> permission : permissionNames.entrySet()) {
            PermissionKey key = permission.getKey();
            Row row = Row.builder().put("app_label", key.appLabel()).put("model", key.model()).put("codename", key.codename())
                    .put("name", permission.getValue()).build();
            Integer at = permissionPlaces.get(key);
            handOn(handler, Sections.PERMISSIONS, index++, row, at == null ? -1 : at);
        }
        handler.endSection(Sections.PERMISSIONS, index);
    }

    private void emitGroups(DocumentReader.Handler handler) {
        long nextId = groups.stream().filter(g -> g.pk != null).mapToLong(Group::pk).max().orElse(0);
        if (target != null) {
            nextId = Math.max(nextId, target.maxGroupId());
        }
        nextId++;
        handler.beginSection(Sections.GROUPS);
        int index = 0;
        for (Group group : groups) {
            Long id = group.pk;
            if (id == null) {
                id = target == null ? null : target.groupId(group.name);
                id = id == null ? nextId++ : id;
            }
            List<PermissionKey> permissions = new ArrayList<>();
            for (int i = 0; i < group.permissions.size(); i++) {
                permissions.add(permission(group.permissions.get(i), "[" + group.index + "].fields.permissions[" + i + "]"));
            }
            Row row = Row.builder().put("id", id).put("name", group.name).put("permissions", rows(permissions)).build();
            handOn(handler, Sections.GROUPS, index++, row, group.index);
        }
        handler.endSection(Sections.GROUPS, index);
    }

    /** One pass handing on the rows of the given sections, in that order. */
    private String pass(Opener fixture, DocumentReader.Handler handler, List<String> sections) throws IOException {
        int[] counts = new int[sections.size()];
        int[] open = {-1};
        long[] next = {nextUserId};
        String sha256 = stream(fixture, (index, kind, model, pk, key, fields) -> {
            int s = sections.indexOf(kind);
            if (s < 0) {
                return;
            }
            while (open[0] < s) {
                if (open[0] >= 0) {
                    handler.endSection(sections.get(open[0]), counts[open[0]]);
                }
                handler.beginSection(sections.get(++open[0]));
            }
            String at = "[" + index + "]";
            Row row = kind.equals(Sections.USERS) ? user(at, pk, fields, next)
                    : kind.equals(Sections.OPENAI_MODELS) ? openAiModel(at, model.replace('.', '_'), pk, fields)
                    : includedRow(at, includedBySection(kind), key, fields);
            handOn(handler, kind, counts[s]++, row, index);
        });
        while (open[0] < sections.size() - 1) {
            if (open[0] >= 0) {
                handler.endSection(sections.get(open[0]), counts[open[0]]);
            }
            handler.beginSection(sections.get(++open[0]));
        }
        handler.endSection(sections.get(open[0]), counts[open[0]]);
        return sha256;
    }

    private Row user(String at, Long pk, Row fields, long[] next) {
        String username = text(fields, "username", at);
        Long id = pk;
        if (id == null) {
            id = target == null ? null : target.userId(username);
            id = id == null ? next[0]++ : id;
        }
        if (referencedUsers.containsKey(username)) {
            referencedUsers.put(username, id);
        }
        Row.Builder row = Row.builder().put("id", id);
        Table table = target == null ? null : target.table(target.userTable()).orElse(null);
        for (int f = 0; f < fields.size(); f++) {
            String name = fields.name(f);
            Object value = fields.value(f);
            String field = at + ".fields." + shown(name);
            switch (name) {
                case "groups" -> {
                    List<Object> refs = list(fields, name, at);
                    List<String> names = new ArrayList<>();
                    for (int i = 0; i < refs.size(); i++) {
                        names.add(groupName(refs.get(i), field + "[" + i + "]"));
                    }
                    names.sort(null);
                    row.put("groups", names);
                }
                case "user_permissions" -> {
                    List<Object> refs = list(fields, name, at);
                    List<PermissionKey> keys = new ArrayList<>();
                    for (int i = 0; i < refs.size(); i++) {
                        keys.add(permission(refs.get(i), field + "[" + i + "]"));
                    }
                    row.put("user_permissions", rows(keys));
                }
                default -> column(row, table, name, value, field);
            }
        }
        return row.build();
    }

    /** Permissions as a backup lists them: natural keys, sorted. */
    private static List<Row> rows(List<PermissionKey> keys) {
        keys.sort(null);
        return keys.stream().map(PermissionKey::toRow).toList();
    }

    private String groupName(Object reference, String at) {
        String name;
        if (reference instanceof List<?> natural && natural.size() == 1 && natural.get(0) instanceof String text) {
            name = text;
        } else if (reference instanceof Long id) {
            name = groupNamesById.get(id);
            if (name == null) {
                throw new InvalidBackupException(at, "group id " + id + " is not among the fixture's groups; " + REDUMP);
            }
        } else {
            throw new InvalidBackupException(at, "expected a natural key [name] or a group id");
        }
        if (!groupNames.contains(name)) {
            throw new InvalidBackupException(at, "group '" + name + "' is not among the fixture's groups");
        }
        return name;
    }

    private Row openAiModel(String at, String tableName, Long pk, Row fields) {
        if (pk == null) {
            throw new InvalidBackupException(at + ".pk", "missing: an OpenAI model keeps its id");
        }
        Row.Builder row = Row.builder().put("id", pk);
        Table table = target == null ? null : target.table(tableName).orElse(null);
        for (int f = 0; f < fields.size(); f++) {
            String name = fields.name(f);
            String field = at + ".fields." + shown(name);
            if (name.equals("users")) {
                List<Object> refs = list(fields, name, at);
                List<Long> ids = new ArrayList<>();
                for (int i = 0; i < refs.size(); i++) {
                    ids.add(userId(refs.get(i), field + "[" + i + "]"));
                }
                ids.sort(null);
                row.put(ModelTableMapper.ASSIGNED_USERS, ids);
            } else {
                column(row, table, name, fields.value(f), field);
            }
        }
        return row.build();
    }

    /**
     * A row of an included table: its key from {@code pk} (or, for a key that refers to a user, from its field as
     * {@code export --format django} writes it), its references to users, groups, permissions and content types
     * resolved like the users section's, to other included rows by their key, every other field a column.
     */
    private Row includedRow(String at, IncludedTableMapper mapper, Object pk, Row fields) {
        IncludedTableMapper.Shape shape = mapper.shape();
        Table table = target.table(shape.table()).orElse(null);
        Row.Builder row = Row.builder();
        boolean keyed = false;
        if (pk != null) {
            String section = shape.references().get(shape.key());
            row.put(shape.key(), section == null ? column(table, shape.key(), pk, at + ".pk")
                    : reference(section, pk, at + ".pk"));
            keyed = true;
        }
        for (int f = 0; f < fields.size(); f++) {
            String name = fields.name(f);
            Object value = fields.value(f);
            String field = at + ".fields." + shown(name);
            IncludedTableMapper.LinkShape link = linkOf(mapper, name);
            String column = referenceColumn(mapper, name);
            if (link != null) {
                List<Object> refs = list(fields, name, at);
                List<Object> keys = new ArrayList<>();
                for (int i = 0; i < refs.size(); i++) {
                    keys.add(reference(link.references(), refs.get(i), field + "[" + i + "]"));
                }
                row.put(name, keys);
            } else if (column != null) {
                if (column.equals(shape.key())) {
                    keyed = true;
                }
                row.put(column, value == null ? null : reference(shape.references().get(column), value, field));
            } else {
                row.put(name, column(table, name, value, field));
            }
        }
        if (!keyed) {
            throw new InvalidBackupException(at + ".pk", "missing: a row of " + shape.table() + " keeps its key");
        }
        return row.build();
    }

    private static Object column(Table table, String name, Object value, String at) {
        Column column = table == null ? null : table.column(name).orElse(null);
        if (column == null) {
            throw new InvalidBackupException(at, "not a column of " + (table == null ? "the table" : table.name())
                    + " in the target database");
        }
        return fixtureValue(value, column, at);
    }

    /** A reference of an included row in the document's form for the section it refers to. */
    private Object reference(String section, Object value, String at) {
        switch (section) {
            case Sections.USERS -> {
                return userId(value, at);
            }
            case Sections.GROUPS -> {
                if (value instanceof List<?> natural && natural.size() == 1 && natural.get(0) instanceof String name) {
                    return name;
                }
                return groupName(value, at);
            }
            case Sections.PERMISSIONS -> {
                return permission(value, at).toRow();
            }
            case IncludedTableMapper.CONTENT_TYPES -> {
                List<String> key = null;
                if (value instanceof List<?> natural && natural.size() == 2 && natural.get(0) instanceof String app
                        && natural.get(1) instanceof String model) {
                    key = List.of(app, model);
                } else if (value instanceof Long id) {
                    key = contentTypesById.containsKey(id) ? contentTypesById.get(id) : target.contentType(id);
                    if (key == null) {
                        throw new InvalidBackupException(at, "content type id " + id + " is neither in the fixture nor in"
                                + " the target database; " + REDUMP);
                    }
                } else {
                    throw new InvalidBackupException(at, "expected a natural key [app_label, model] or a content type id");
                }
                return Row.builder().put("app_label", key.get(0)).put("model", key.get(1)).build();
            }
            default -> {
                if (value instanceof List || value instanceof Row) {
                    throw new InvalidBackupException(at, "expected the key of a " + section + " row");
                }
                return value;
            }
        }
    }

    /** A user reference as an id: the fixture's user, as a backup's rows refer to the backup's users. */
    private long userId(Object reference, String at) {
        if (reference instanceof Long id) {
            if (!usersHavePk) {
                throw new InvalidBackupException(at, "a user id, but the fixture's users carry none (dumped with"
                        + " --natural-primary); " + REDUMP);
            }
            return id;
        }
        if (reference instanceof List<?> natural && natural.size() == 1 && natural.get(0) instanceof String username) {
            Long id = referencedUsers.get(username);
            if (id == null) {
                throw new InvalidBackupException(at, "user '" + username + "' is not among the fixture's users");
            }
            return id;
        }
        throw new InvalidBackupException(at, "expected a natural key [username] or a user id");
    }

    /** A field that is a column: its value in the document's form for the column's type. */
    private void column(Row.Builder row, Table table, String name, Object value, String at) {
        Column column = table == null ? null : table.column(name).orElse(null);
        if (column == null && table != null && table.column(name + "_id").isPresent()) {
            if (value instanceof List) {
                throw new InvalidBackupException(at, "a natural key for a foreign key to another table; " + REDUMP
                        + " but without --natural-foreign for this field's model");
            }
            row.put(name + "_id", value);
            return;
        }
        if (column != null && target.jsonColumns(table).contains(name)) {
            column = new Column(name, DjangoFixtureValues.JSON, column.type(), column.maxLength(), column.notNull(),
                    column.hasDefault(), column.primaryKey());
        }
        row.put(name, fixtureValue(value, column, at));
    }

    private static final java.util.regex.Pattern ISO_DATETIME = java.util.regex.Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2})?");
    private static final Column SOME_DATETIME = new Column("datetime", "datetime",
            io.djangouserbackup.core.spi.ColumnType.DATETIME, null, false, false, false);

    /**
     * A value as Django's serializer wrote it, in the document's form for the column ({@link DjangoFixtureValues}).
     * Without a target (a check of the fixture alone) the columns are unknown: a value in the serializer's form of
     * a datetime is taken as one, an object or array as a JSON field's text, anything else as it is.
     */
    private static Object fixtureValue(Object value, Column column, String at) {
        if (column == null) {
            // An object or array can only be a JSON field's value: kept as its text, as a target's JSON column keeps it.
            if (value instanceof Row || value instanceof List) {
                return new DjangoFixtureValues.Json(jsonText(value)).text();
            }
            return value instanceof String text && ISO_DATETIME.matcher(text).matches()
                    ? DjangoFixtureValues.fromFixture(value, SOME_DATETIME, at) : value;
        }
        if (value instanceof Row || value instanceof List) {
            value = new DjangoFixtureValues.Json(jsonText(value));
        }
        return DjangoFixtureValues.fromFixture(value, column, at);
    }

    /** An object or array of a field (a JSON field's value) as JSON text again. */
    private static String jsonText(Object value) {
        java.io.StringWriter out = new java.io.StringWriter();
        try (com.fasterxml.jackson.core.JsonGenerator generator = FixtureEntries.FACTORY.createGenerator(out)) {
            writeJson(generator, value);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void writeJson(com.fasterxml.jackson.core.JsonGenerator generator, Object value) throws IOException {
        if (value instanceof Row row) {
            generator.writeStartObject();
            for (int i = 0; i < row.size(); i++) {
                generator.writeFieldName(row.name(i));
                writeJson(generator, row.value(i));
            }
            generator.writeEndObject();
        } else if (value instanceof List<?> list) {
            generator.writeStartArray();
            for (Object item : list) {
                writeJson(generator, item);
            }
            generator.writeEndArray();
        } else {
            DjangoFixtureValues.write(generator, value);
        }
    }

    /** Hands a row on; a problem it has is reported at its place in the fixture. */
    private void handOn(DocumentReader.Handler handler, String section, int index, Row row, int fixtureIndex) {
        try {
            handler.row(section, index, row);
        } catch (InvalidBackupException e) {
            throw fixturePlace(e, section, index, fixtureIndex);
        }
    }

    private static InvalidBackupException fixturePlace(InvalidBackupException e, String section, int index, int fixtureIndex) {
        String prefix = section + "[" + index + "]";
        if (fixtureIndex < 0 || !e.place().startsWith(prefix)) {
            return e;
        }
        String rest = e.place().substring(prefix.length());
        String problem = e.getMessage().substring(Math.min(e.getMessage().length(), e.place().length() + 2));
        String field = rest.startsWith(".") ? rest.substring(1) : rest;
        String fixturePlace = "[" + fixtureIndex + "]" + (field.isEmpty() ? "" : field.equals("id") ? ".pk"
                : ".fields." + (field.startsWith(ModelTableMapper.ASSIGNED_USERS) ? "users"
                + field.substring(ModelTableMapper.ASSIGNED_USERS.length()) : field));
        return new InvalidBackupException(fixturePlace, problem, e);
    }

    private static String text(Row fields, String name, String at) {
        Object value = fields.get(name);
        if (!(value instanceof String text)) {
            throw new InvalidBackupException(at + ".fields." + name, fields.has(name) ? "expected a string" : "missing");
        }
        return text;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Row fields, String name, String at) {
        Object value = fields.get(name);
        if (value == null && !fields.has(name)) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw new InvalidBackupException(at + ".fields." + name, "expected a list");
        }
        return (List<Object>) list;
    }

    private static String shown(String name) {
        return DocumentReader.shown(name);
    }
}
