package io.djangouserbackup.core;

/**
 * What an import does, or would do, to one section.
 *
 * @param rows    rows of the section in the backup
 * @param created rows new to the target
 * @param updated rows the target had, set to the backup's values and links
 * @param skipped rows that need no write (a permission the target has already)
 * @param removed rows of the target the backup lacks, removed in replace mode
 */
public record SectionCounts(long rows, long created, long updated, long skipped, long removed) {
}
