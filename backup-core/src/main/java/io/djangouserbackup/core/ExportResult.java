package io.djangouserbackup.core;

import io.djangouserbackup.model.BackupHeader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What an export wrote.
 *
 * @param header the backup's header
 * @param file   the backup file, or {@code null} when written to a stream
 * @param bytes  the size written (compressed size for a {@code .gz} file)
 * @param rows   section name to the number of rows written
 * @param notes  things worth knowing that are not failures (for example, no OpenAI model table)
 */
public record ExportResult(BackupHeader header, Path file, long bytes, Map<String, Long> rows, List<String> notes) {

    public ExportResult {
        rows = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(rows));
        notes = List.copyOf(notes);
    }

    /** Rows written for one section. */
    public long rows(String section) {
        return rows.getOrDefault(section, 0L);
    }
}
