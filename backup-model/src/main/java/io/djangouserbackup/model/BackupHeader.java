package io.djangouserbackup.model;

import java.util.Objects;

/**
 * The top-level fields of a backup that are not sections.
 *
 * @param formatVersion the document format, {@link #CURRENT_FORMAT} for files this version writes
 * @param exportDate    when the backup was taken, ISO-8601 in UTC, e.g. {@code 2026-11-26T14:57:03.123456Z}
 * @param djangoVersion what the source database says about its Django release
 */
public record BackupHeader(int formatVersion, String exportDate, DjangoVersion djangoVersion) {

    /** The format this version of the library writes, and the newest it reads. */
    public static final int CURRENT_FORMAT = 1;

    public BackupHeader {
        Objects.requireNonNull(exportDate, "exportDate");
        Objects.requireNonNull(djangoVersion, "djangoVersion");
    }
}
