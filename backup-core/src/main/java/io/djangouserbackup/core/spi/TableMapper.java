package io.djangouserbackup.core.spi;

import io.djangouserbackup.model.Row;
import java.util.List;

/**
 * Backs up one section of the document from the tables behind it, and restores it.
 *
 * <p>A mapper is registered explicitly ({@code DjangoDatabase.withMapper(...)}) and holds no state; each
 * export, import or verification calls {@link #start(MapperContext)} once and works with the
 * {@link SectionRun} it returns. Only the section name and {@code start} are required.
 *
 * <pre>{@code
 * DjangoDatabase db = DjangoDatabase.sqlite(path)
 *         .withMapper(new ModelTableMapper("profiles", "accounts_profile"));
 * }</pre>
 */
public interface TableMapper {

    /** The key of this mapper's array in the document, e.g. {@code openai_models}; snake_case. */
    String section();

    /**
     * The sections whose rows this one refers to. They are exported before this one and must stand before it
     * in a document, so that a streaming import has resolved them when this section arrives.
     */
    default List<String> dependsOn() {
        return List.of();
    }

    /**
     * What the backup's header says of this section beside its table and columns, so that an import or a
     * verification can restore it without being configured for it (see
     * {@code io.djangouserbackup.core.mappers.IncludedTableMapper#describe()}); empty by default.
     */
    default Row describe() {
        return Row.builder().build();
    }

    /** Begins one export, import or verification. */
    SectionRun start(MapperContext context);
}
