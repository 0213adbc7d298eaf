package io.djangouserbackup.core;

/**
 * What an import does, or would do, to one section.
 *
 * @param rows    rows of the section in the backup
 * @param created rows new to the target
 * @param updated rows the target has with other values or links, set to the backup's
 * @param skipped rows the target has exactly so already (values and links), which the import leaves as they are;
 *                also a permission the target has already
 * @param removed rows of the target the backup lacks, removed in replace mode
 */
public record SectionCounts(long rows, long created, long updated, long skipped, long removed) {
}
