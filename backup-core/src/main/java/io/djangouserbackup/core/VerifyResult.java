package io.djangouserbackup.core;

import io.djangouserbackup.model.BackupHeader;
import java.util.Map;

/**
 * A backup that passed every check that needs no database.
 *
 * @param header the backup's header
 * @param rows   section name to its number of rows
 * @param sha256 the digest the backup carries, which matched its content (lower-case hexadecimal)
 */
public record VerifyResult(BackupHeader header, Map<String, Long> rows, String sha256) {

    public VerifyResult {
        rows = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(rows));
    }

    /** Rows of one section. */
    public long rows(String section) {
        return rows.getOrDefault(section, 0L);
    }
}
