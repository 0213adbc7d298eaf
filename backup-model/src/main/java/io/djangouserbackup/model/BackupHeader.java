package io.djangouserbackup.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The top-level fields of a backup that are not sections.
 *
 * @param formatVersion the document format, {@link #CURRENT_FORMAT} for files this version writes
 * @param exportDate    when the backup was taken, ISO-8601 in UTC, e.g. {@code 2026-11-26T14:57:03.123456Z}
 * @param djangoVersion what the source database says about its Django release
 * @param engine        the engine the backup was taken from ({@code sqlite}, {@code postgresql}, {@code mysql}), or
 *                      {@code null} when the document does not say (format 1)
 * @param sections      for each section backed by one table, that table and its columns as the source declared
 *                      them, in document order; empty when the document does not say (format 1)
 * @param partialUsers  for a partial backup ({@code export --user}), the usernames it was taken for, sorted; empty
 *                      for a full backup. In the document it is the top-level object
 *                      {@code "partial": {"users": [...]}}: a reader that does not know the field takes it for a
 *                      section and refuses the file rather than restoring it as a full backup.
 */
public record BackupHeader(int formatVersion, String exportDate, DjangoVersion djangoVersion, String engine,
                           Map<String, SectionSchema> sections, List<String> partialUsers) {

    /** The format this version of the library writes, and the newest it reads. */
    public static final int CURRENT_FORMAT = 2;

    /**
     * The format of the header made for a Django fixture ({@code manage.py dumpdata}) read as a backup: a fixture
     * has no header, no export date and no digest of its own.
     */
    public static final int DJANGO_FIXTURE = 0;

    public BackupHeader {
        Objects.requireNonNull(exportDate, "exportDate");
        Objects.requireNonNull(djangoVersion, "djangoVersion");
        sections = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(sections, "sections")));
        partialUsers = List.copyOf(Objects.requireNonNull(partialUsers, "partialUsers"));
    }

    /** A header of a full backup. */
    public BackupHeader(int formatVersion, String exportDate, DjangoVersion djangoVersion, String engine,
                        Map<String, SectionSchema> sections) {
        this(formatVersion, exportDate, djangoVersion, engine, sections, List.of());
    }

    /** A header that says nothing of the source's engine and tables, as format 1 documents are. */
    public BackupHeader(int formatVersion, String exportDate, DjangoVersion djangoVersion) {
        this(formatVersion, exportDate, djangoVersion, null, Map.of());
    }

    /** Whether this is the header made for a Django fixture read as a backup ({@link #DJANGO_FIXTURE}). */
    public boolean isDjangoFixture() {
        return formatVersion == DJANGO_FIXTURE;
    }

    /** Whether the backup holds only some users ({@link #partialUsers()}): it must never replace a whole database. */
    public boolean isPartial() {
        return !partialUsers.isEmpty();
    }

    /** The same header, marked as a backup of only the named users. */
    public BackupHeader asPartial(List<String> usernames) {
        return new BackupHeader(formatVersion, exportDate, djangoVersion, engine, sections, usernames);
    }

    /** The schema of a section, or {@code null} when the document does not describe it. */
    public SectionSchema section(String name) {
        return sections.get(name);
    }
}
