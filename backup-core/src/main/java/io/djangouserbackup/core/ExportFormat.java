package io.djangouserbackup.core;

/**
 * What an {@link Exporter} writes.
 *
 * <pre>{@code
 * Exporter.of(database).withFormat(ExportFormat.DJANGO_FIXTURE).exportTo(Path.of("users.json"));
 * }</pre>
 */
public enum ExportFormat {
    /** This library's backup document: a header, the sections, a digest; what import, verify and diff read. */
    BACKUP,
    /**
     * Django's JSON fixture ({@code [{"model": "auth.user", "fields": {...}}, ...]}) with natural keys, as
     * {@code dumpdata --natural-foreign --natural-primary} writes it, for {@code manage.py loaddata}: the same data as
     * a backup, loadable into any migrated database whatever its content-type and permission ids. Users are matched by
     * username and groups by name; the OpenAI model table and included tables keep their primary keys. Datetimes and
     * times keep every microsecond (Django's own {@code dumpdata} keeps milliseconds).
     */
    DJANGO_FIXTURE
}
