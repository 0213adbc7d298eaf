package io.djangouserbackup.core.internal;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.PrettyPrinter;
import io.djangouserbackup.model.BackupHeader;
import io.djangouserbackup.model.Row;
import io.djangouserbackup.model.SectionSchema;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;

/**
 * Writes a backup document as it is produced: the header, then each section row by row. Each header field and
 * each row stands on a line of its own, compact within, so two backups diff row by row and files stay small.
 * The last field, {@value #DIGEST_FIELD}, is the SHA-256 of everything before it, computed while writing.
 */
public final class DocumentWriter implements ExportWriter {
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    /** The last top-level field: the SHA-256 of every byte before the comma that precedes it. */
    public static final String DIGEST_FIELD = "sha256";

    /** A hand-made number such as {@code 1E+999999999} is written with its exponent rather than as a billion digits. */
    private static final int PLAIN_LIMIT = 200_000;

    private final JsonGenerator json;
    private final MessageDigest sha256 = ContentDigest.newSha256();

    public DocumentWriter(OutputStream out) {
        try {
            json = FACTORY.createGenerator(ContentDigest.hashing(out, sha256), JsonEncoding.UTF8);
            json.setPrettyPrinter(new RowPerLine());
            json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The top-level field that marks a partial backup: an object, so that a reader that does not know it takes it
     * for a section, finds no array, and refuses the file instead of restoring it as a full backup.
     */
    public static final String PARTIAL_FIELD = "partial";

    @Override
    public void header(BackupHeader header) throws IOException {
        json.writeStartObject();
        json.writeNumberField("format_version", header.formatVersion());
        json.writeStringField("export_date", header.exportDate());
        json.writeObjectFieldStart("django_version");
        json.writeStringField("at_least", header.djangoVersion().atLeast());
        json.writeObjectFieldStart("migrations");
        for (Map.Entry<String, String> migration : header.djangoVersion().migrations().entrySet()) {
            json.writeStringField(migration.getKey(), migration.getValue());
        }
        json.writeEndObject();
        json.writeEndObject();
        if (header.engine() != null) {
            json.writeStringField("engine", header.engine());
        }
        if (header.isPartial()) {
            json.writeObjectFieldStart(PARTIAL_FIELD);
            json.writeArrayFieldStart("users");
            for (String username : header.partialUsers()) {
                json.writeString(username);
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        if (!header.sections().isEmpty()) {
            json.writeObjectFieldStart("sections");
            for (Map.Entry<String, SectionSchema> section : header.sections().entrySet()) {
                json.writeObjectFieldStart(section.getKey());
                json.writeStringField("table", section.getValue().table());
                json.writeObjectFieldStart("columns");
                for (Map.Entry<String, String> column : section.getValue().columns().entrySet()) {
                    json.writeStringField(column.getKey(), column.getValue());
                }
                json.writeEndObject();
                Row more = section.getValue().more();
                for (int i = 0; i < more.size(); i++) {
                    json.writeFieldName(more.name(i));
                    writeValue(more.value(i));
                }
                json.writeEndObject();
            }
            json.writeEndObject();
        }
    }

    public void beginSection(String name) throws IOException {
        json.writeArrayFieldStart(name);
    }

    @Override
    public void beginSection(io.djangouserbackup.core.spi.TableMapper mapper, io.djangouserbackup.core.spi.Table table)
            throws IOException {
        beginSection(mapper.section());
    }

    @Override
    public void row(Row row) {
        try {
            writeValue(row);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void endSection() throws IOException {
        json.writeEndArray();
    }

    /**
     * Ends the document with its digest and flushes; the underlying stream stays open. The digest covers every
     * byte written so far, up to the {@code ]} that closes the last section, and nothing after it.
     */
    @Override
    public void finish() throws IOException {
        json.flush();
        String digest = ContentDigest.hex(sha256.digest());
        json.writeStringField(DIGEST_FIELD, digest);
        json.writeEndObject();
        json.writeRaw('\n');
        json.flush();
    }

    @Override
    public void close() throws IOException {
        json.close();
    }

    private void writeValue(Object value) throws IOException {
        if (value == null) {
            json.writeNull();
        } else if (value instanceof String text) {
            json.writeString(text);
        } else if (value instanceof Long number) {
            json.writeNumber(number);
        } else if (value instanceof Double number) {
            // The shortest text that reads back as this double (Double.toString), an exponent where it needs one.
            json.writeNumber(number);
        } else if (value instanceof BigDecimal number) {
            // Digit for digit, without an exponent, so the file says exactly what the database holds.
            json.writeNumber(number.scale() < -PLAIN_LIMIT ? number.toString() : number.toPlainString());
        } else if (value instanceof Boolean bool) {
            json.writeBoolean(bool);
        } else if (value instanceof Row row) {
            json.writeStartObject();
            for (int i = 0; i < row.size(); i++) {
                json.writeFieldName(row.name(i));
                writeValue(row.value(i));
            }
            json.writeEndObject();
        } else if (value instanceof List<?> list) {
            json.writeStartArray();
            for (Object element : list) {
                writeValue(element);
            }
            json.writeEndArray();
        } else {
            throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
        }
    }

    /** Line breaks only between header fields and between rows; everything inside a row is compact. */
    private static final class RowPerLine implements PrettyPrinter {
        private int depth;

        @Override
        public void writeRootValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw('\n');
        }

        @Override
        public void writeStartObject(JsonGenerator g) throws IOException {
            g.writeRaw('{');
            depth++;
        }

        @Override
        public void beforeObjectEntries(JsonGenerator g) throws IOException {
            if (depth == 1) {
                g.writeRaw("\n  ");
            }
        }

        @Override
        public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(depth == 1 ? ": " : ":");
        }

        @Override
        public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
            g.writeRaw(depth == 1 ? ",\n  " : ",");
        }

        @Override
        public void writeEndObject(JsonGenerator g, int entries) throws IOException {
            if (depth == 1 && entries > 0) {
                g.writeRaw('\n');
            }
            g.writeRaw('}');
            depth--;
        }

        @Override
        public void writeStartArray(JsonGenerator g) throws IOException {
            g.writeRaw('[');
            depth++;
        }

        @Override
        public void beforeArrayValues(JsonGenerator g) throws IOException {
            if (depth == 2) {
                g.writeRaw("\n    ");
            }
        }

        @Override
        public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(depth == 2 ? ",\n    " : ",");
        }

        @Override
        public void writeEndArray(JsonGenerator g, int values) throws IOException {
            if (depth == 2 && values > 0) {
                g.writeRaw("\n  ");
            }
            g.writeRaw(']');
            depth--;
        }
    }
}
