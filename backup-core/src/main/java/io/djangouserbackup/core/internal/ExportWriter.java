package io.djangouserbackup.core.internal;

import io.djangouserbackup.core.spi.Table;
import io.djangouserbackup.core.spi.TableMapper;
import io.djangouserbackup.model.BackupHeader;
import io.djangouserbackup.model.Row;
import java.io.IOException;

/**
 * Where an export's rows go, section by section: a backup document ({@link DocumentWriter}) or a Django fixture
 * ({@link DjangoFixtureWriter}). The stream underneath stays open.
 */
public interface ExportWriter extends AutoCloseable {
    /** The backup's header, before any section (a format without one ignores it). */
    void header(BackupHeader header) throws IOException;

    /** Starts the mapper's section, whose rows come from the table ({@code null} for a section of no one table). */
    void beginSection(TableMapper mapper, Table table) throws IOException;

    /** One row of the current section. */
    void row(Row row) throws IOException;

    /** Ends the current section. */
    void endSection() throws IOException;

    /** Ends the output and flushes it. */
    void finish() throws IOException;

    @Override
    void close() throws IOException;
}
