package io.djangouserbackup.core.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.djangouserbackup.core.InvalidBackupException;
import io.djangouserbackup.model.BackupHeader;
import io.djangouserbackup.model.DjangoVersion;
import io.djangouserbackup.model.Row;
import io.djangouserbackup.model.SectionSchema;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a backup document as a stream: the header first, then each section row by row, so memory does not grow
 * with the size of the file. Every problem becomes an {@link InvalidBackupException} naming the place.
 * The raw bytes are hashed as they are parsed; the last field, {@code sha256}, must match the hash of every byte
 * before it (up to the end of the value that precedes it), so truncation and tampering are caught.
 */
public final class DocumentReader {

    /** What the reader hands on, in document order. */
    public interface Handler {
        /** The header, once {@code format_version} and the other top-level fields before the first section are read. */
        void header(BackupHeader header);

        /** A section begins; throw to refuse it. */
        void beginSection(String name);

        /** One row of the current section. */
        void row(String section, int index, Row row);

        /** The current section ended after {@code count} rows. */
        void endSection(String name, int count);
    }

    /** Deeper than any document this library writes (rows hold at most a list of small objects). */
    static final int MAX_DEPTH = 16;
    // Duplicate fields are found by the reader itself (a row's builder scans its few fields anyway), not by
    // Jackson's STRICT_DUPLICATE_DETECTION, which keeps a hash set per object.
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH + 8)
                    .maxStringLength(64 * 1024 * 1024)
                    // PostgreSQL's numeric holds up to 131,072 digits before the point and 16,383 after it.
                    .maxNumberLength(150_000)
                    .build())
            .build();

    private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern QUOTED = Pattern.compile("'([^']*)'");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");

    // Where the reader is, for messages: a top-level field, or row `rowIndex` of section `place` when it is >= 0
    // (the row's place is spelled out only when a message needs it, not once per row).
    private final boolean hashOnAnotherThread;

    /** A reader that hashes the document on the thread that reads it. */
    public DocumentReader() {
        this(false);
    }

    /**
     * A reader that hashes the document on a second thread when {@code hashOnAnotherThread} and the machine has a
     * second processor ({@link ContentDigest#ContentDigest(InputStream, boolean)}): the same checks and the same
     * digest, and the reading thread spared the hashing.
     */
    public DocumentReader(boolean hashOnAnotherThread) {
        this.hashOnAnotherThread = hashOnAnotherThread;
    }

    private String place = "";
    private int rowIndex = -1;
    private ContentDigest digest;

    /**
     * Reads the whole document and checks its digest.
     *
     * @return the document's SHA-256 in hexadecimal, as it carries it and as it was recomputed
     * @throws InvalidBackupException for anything that is not a well-formed backup document, and for a document
     *                                whose content does not match its digest or that carries none
     */
    public String read(InputStream in, Handler handler) throws IOException {
        digest = new ContentDigest(in, hashOnAnotherThread);
        try (JsonParser json = FACTORY.createParser(digest)) {
            try {
                return readDocument(json, handler);
            } catch (JsonProcessingException e) {
                brokenAtEnd = endsThere(e);
                throw e;
            }
        } catch (JsonEOFException e) {
            throw new InvalidBackupException(place(), "the file ends before the document does (truncated?)" + where(e), e);
        } catch (JsonProcessingException e) {
            String message = e.getOriginalMessage();
            if (message != null && message.contains("end-of-input") || brokenAtEnd) {
                // Jackson says so in other words when the file ends between two fields of an object.
                throw new InvalidBackupException(place(), "the file ends before the document does (truncated?)" + where(e));
            }
            // No cause: its message holds the raw token, and --debug would print it.
            throw new InvalidBackupException(place(), "not valid JSON" + where(e) + ": " + jacksonProblem(message));
        } catch (CharConversionException e) {
            throw new InvalidBackupException(place(), "not valid UTF-8: " + e.getMessage(), e);
        }
    }

    /**
     * Jackson's description of broken JSON, in the user's terms: without Jackson's advice to programmers and with
     * any quoted token that is not a plain identifier hidden (in a damaged file it can be a password hash).
     */
    static String jacksonProblem(String message) {
        // Jackson appends where a structure started, in its own words; the line and column say enough.
        int detail = message.indexOf(" (start marker");
        message = detail > 0 ? message.substring(0, detail) : message;
        // Jackson's advice is for programmers ("enable JsonReadFeature..."); the user needs what is wrong.
        message = message.replaceFirst(": enable `[^`]*` to allow.*$", "").replaceFirst(", from `[^`]*`\\)", ")");
        return QUOTED.matcher(message).replaceAll(m -> IDENTIFIER.matcher(m.group(1)).matches()
                ? java.util.regex.Matcher.quoteReplacement(m.group()) : "'...'");
    }

    private String place() {
        return rowIndex < 0 ? place : place + "[" + rowIndex + "]";
    }

    private boolean brokenAtEnd;

    /** Whether the JSON broke within the last few bytes of a file that ends there: a value cut in half. */
    private boolean endsThere(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        return at != null && at.getByteOffset() >= 0 && digest.ended() && digest.bytesHandedOn() - at.getByteOffset() <= 16;
    }

    static String where(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        return at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    }

    private String readDocument(JsonParser json, Handler handler) throws IOException {
        JsonToken first = json.nextToken();
        if (first == null) {
            throw new InvalidBackupException("", "the file is empty");
        }
        if (first != JsonToken.START_OBJECT) {
            throw new InvalidBackupException("", "a backup is a JSON object, this file is not");
        }
        Integer formatVersion = null;
        String exportDate = null;
        DjangoVersion djangoVersion = DjangoVersion.unknown();
        String engine = null;
        Map<String, SectionSchema> sections = Map.of();
        List<String> partialUsers = List.of();
        boolean headerSent = false;
        String carried = null;
        long contentEnd = byteOffset(json);
        Set<String> seen = new HashSet<>();
        for (JsonToken token = json.nextToken(); token != JsonToken.END_OBJECT; token = json.nextToken()) {
            if (token == null) {
                throw new InvalidBackupException(place(), "the file ends before the document does (truncated?)");
            }
            String field = json.currentName();
            if (!seen.add(field)) {
                throw new InvalidBackupException(shown(field), "appears twice in the document" + at(json));
            }
            if (carried != null) {
                throw new InvalidBackupException(DocumentWriter.DIGEST_FIELD, "must be the last field, but " + field
                        + " follows it");
            }
            if (formatVersion == null && (field.equals("model") || field.equals("fields") || field.equals("pk"))) {
                throw new InvalidBackupException("", "this is one object with a \"" + field + "\" field, like an entry of"
                        + " a Django fixture; a fixture is a JSON list of them ([{\"model\": ...}, ...]), a backup an object"
                        + " starting with format_version");
            }
            place = field;
            json.nextToken();
            switch (field) {
                case DocumentWriter.DIGEST_FIELD -> {
                    String value = readString(json);
                    if (!HEX_SHA256.matcher(value).matches()) {
                        throw new InvalidBackupException(place(), "expected 64 lower-case hexadecimal digits");
                    }
                    String actual = digest.digestUpTo(contentEnd);
                    if (!actual.equals(value)) {
                        throw new InvalidBackupException(place(), "the content does not match its digest: the file was "
                                + "changed or damaged after it was written");
                    }
                    carried = value;
                }
                case "format_version" -> formatVersion = readFormatVersion(json);
                case "export_date" -> exportDate = readString(json);
                case "django_version" -> djangoVersion = readDjangoVersion(json);
                case "engine" -> engine = readString(json);
                case "sections" -> sections = readSectionSchemas(json);
                case DocumentWriter.PARTIAL_FIELD -> partialUsers = readPartial(json);
                default -> {
                    if (!headerSent) {
                        handler.header(header(formatVersion, exportDate, djangoVersion, engine, sections, partialUsers));
                        headerSent = true;
                    }
                    readSection(json, field, handler);
                }
            }
            if (carried == null) {
                contentEnd = byteOffset(json);
                digest.hashUpTo(contentEnd);
            }
            place = "";
        }
        if (json.nextToken() != null) {
            throw new InvalidBackupException("", "unexpected content after the end of the document");
        }
        if (carried == null) {
            throw new InvalidBackupException(DocumentWriter.DIGEST_FIELD, "missing: the backup carries no digest of its "
                    + "content, so truncation or tampering cannot be ruled out; export it again (a hand-written file can "
                    + "be sealed with BackupDigest.seal in Java)");
        }
        if (!headerSent) {
            handler.header(header(formatVersion, exportDate, djangoVersion, engine, sections, partialUsers));
        }
        return carried;
    }

    /** Where the parser stands in the raw bytes: just past the last token it returned. */
    private static long byteOffset(JsonParser json) {
        long offset = json.currentLocation().getByteOffset();
        if (offset < 0) {
            throw new InvalidBackupException("", "not UTF-8: a backup is UTF-8 encoded JSON");
        }
        return offset;
    }

    private BackupHeader header(Integer formatVersion, String exportDate, DjangoVersion djangoVersion, String engine,
                                Map<String, SectionSchema> sections, List<String> partialUsers) {
        if (formatVersion == null) {
            throw new InvalidBackupException("format_version", "missing (it must come before the first section)");
        }
        if (exportDate == null) {
            throw new InvalidBackupException("export_date", "missing (it must come before the first section)");
        }
        return new BackupHeader(formatVersion, exportDate, djangoVersion, engine, sections, partialUsers);
    }

    private int readFormatVersion(JsonParser json) throws IOException {
        if (json.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            throw new InvalidBackupException(place(), "expected an integer, got " + describe(json.currentToken()));
        }
        long version = json.getLongValue();
        if (version > BackupHeader.CURRENT_FORMAT) {
            throw new InvalidBackupException(place(), "format " + version + " is newer than this tool reads (up to "
                    + BackupHeader.CURRENT_FORMAT + "); use a newer django-user-backup");
        }
        if (version < 1) {
            throw new InvalidBackupException(place(), "unknown format " + version);
        }
        return (int) version;
    }

    private String readString(JsonParser json) throws IOException {
        if (json.currentToken() != JsonToken.VALUE_STRING) {
            throw new InvalidBackupException(place(), "expected a string, got " + describe(json.currentToken()));
        }
        return json.getText();
    }

    /** {@code "partial": {"users": ["alice", ...]}}: the usernames a partial backup was taken for, at least one. */
    private List<String> readPartial(JsonParser json) throws IOException {
        if (!(readValue(json, 0) instanceof Row partial) || !(partial.get("users") instanceof List<?> users) || users.isEmpty()) {
            throw new InvalidBackupException(place(), "expected {\"users\": [usernames]}, at least one");
        }
        List<String> usernames = new java.util.ArrayList<>();
        for (Object user : users) {
            if (!(user instanceof String username)) {
                throw new InvalidBackupException(place() + ".users", "expected usernames (strings)");
            }
            usernames.add(username);
        }
        return usernames;
    }

    private DjangoVersion readDjangoVersion(JsonParser json) throws IOException {
        Object value = readValue(json, 0);
        if (value == null) {
            return DjangoVersion.unknown();
        }
        if (!(value instanceof Row row)) {
            throw new InvalidBackupException(place(), "expected an object, got " + describe(json.currentToken()));
        }
        Object atLeast = row.get("at_least");
        if (atLeast != null && !(atLeast instanceof String)) {
            throw new InvalidBackupException(place() + ".at_least", "expected a string or null");
        }
        Map<String, String> migrations = new LinkedHashMap<>();
        if (row.get("migrations") instanceof Row applied) {
            applied.asMap().forEach((app, name) -> {
                if (!(name instanceof String)) {
                    throw new InvalidBackupException(place() + ".migrations." + app, "expected a string");
                }
                migrations.put(app, (String) name);
            });
        } else if (row.get("migrations") != null) {
            throw new InvalidBackupException(place() + ".migrations", "expected an object");
        }
        return new DjangoVersion((String) atLeast, migrations);
    }

    /** {@code "sections": {"users": {"table": "auth_user", "columns": {"id": "integer", ...}}, ...}}. */
    private Map<String, SectionSchema> readSectionSchemas(JsonParser json) throws IOException {
        if (!(readValue(json, 0) instanceof Row all)) {
            throw new InvalidBackupException(place(), "expected an object");
        }
        Map<String, SectionSchema> sections = new LinkedHashMap<>();
        for (int i = 0; i < all.size(); i++) {
            String section = place() + "." + shown(all.name(i));
            if (!(all.value(i) instanceof Row described) || !(described.get("table") instanceof String table)
                    || !(described.get("columns") instanceof Row columns)) {
                throw new InvalidBackupException(section, "expected an object with a table name and its columns");
            }
            Map<String, String> declared = new LinkedHashMap<>();
            for (int c = 0; c < columns.size(); c++) {
                if (!(columns.value(c) instanceof String type)) {
                    throw new InvalidBackupException(section + ".columns." + shown(columns.name(c)), "expected the declared type as a string");
                }
                declared.put(columns.name(c), type);
            }
            // Further keys (an added table's "key", "references", "links") are for the section's mapper to read.
            Row.Builder more = Row.builder();
            for (int k = 0; k < described.size(); k++) {
                if (!described.name(k).equals("table") && !described.name(k).equals("columns")) {
                    more.put(described.name(k), described.value(k));
                }
            }
            sections.put(all.name(i), new SectionSchema(table, declared, more.build()));
        }
        return sections;
    }

    private void readSection(JsonParser json, String section, Handler handler) throws IOException {
        if (json.currentToken() != JsonToken.START_ARRAY) {
            throw new InvalidBackupException(section, "expected an array of objects, got " + describe(json.currentToken()));
        }
        handler.beginSection(section);
        int index = 0;
        for (JsonToken token = json.nextToken(); token != JsonToken.END_ARRAY; token = json.nextToken(), index++) {
            place = section;
            rowIndex = index;
            if (token == null) {
                throw new InvalidBackupException(place(), "the file ends before the document does (truncated?)");
            }
            if (token != JsonToken.START_OBJECT) {
                throw new InvalidBackupException(place(), "expected an object, got " + describe(token));
            }
            Row row = (Row) readValue(json, 1);
            // Hash as rows go, so the bytes kept for hashing stay few however long the section is.
            digest.hashUpTo(byteOffset(json));
            handler.row(section, index, row);
        }
        place = section;
        rowIndex = -1;
        handler.endSection(section, index);
    }

    private Object readValue(JsonParser json, int depth) throws IOException {
        return readValue(json, depth, where);
    }

    private final java.util.function.Supplier<String> where = this::place;

    /**
     * The JSON value at the parser's current token, as the document's values are held: null, Boolean, String,
     * Long (or BigDecimal beyond 64 bits), BigDecimal exactly as written (never a double, but for a negative zero
     * and the bare NaN and infinities Python writes), List, or {@link Row} (a field twice in one object refused).
     * Problems name {@code place}.
     */
    static Object readValue(JsonParser json, int depth, java.util.function.Supplier<String> place) throws IOException {
        JsonToken token = json.currentToken();
        if (token == null) {
            throw new InvalidBackupException(place.get(), "the file ends before the document does (truncated?)");
        }
        if (depth > MAX_DEPTH) {
            throw new InvalidBackupException(place.get(), "nested deeper than " + MAX_DEPTH + " levels");
        }
        switch (token) {
            case VALUE_NULL:
                return null;
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_STRING:
                return json.getText();
            case VALUE_NUMBER_INT:
                if (json.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    // A decimal or an unsigned 64-bit column can hold more than a long: kept digit for digit.
                    return new BigDecimal(json.getBigIntegerValue());
                }
                return json.getLongValue();
            case VALUE_NUMBER_FLOAT:
                if (json.isNaN()) {
                    // Only where the parser allows them (a Django fixture: Python's json writes a float's NaN bare).
                    return json.getDoubleValue();
                }
                // Exactly as written, never through a double: the column it goes into decides what it becomes.
                BigDecimal number = json.getDecimalValue();
                if (number.signum() == 0 && json.getText().startsWith("-")) {
                    // Only a floating-point column has a negative zero; BigDecimal would lose its sign.
                    return -0.0d;
                }
                return number;
            case START_ARRAY: {
                List<Object> list = new ArrayList<>();
                for (JsonToken next = json.nextToken(); next != JsonToken.END_ARRAY; next = json.nextToken()) {
                    list.add(readValue(json, depth + 1, place));
                }
                return list;
            }
            case START_OBJECT: {
                Row.Builder row = Row.builder();
                for (JsonToken next = json.nextToken(); next != JsonToken.END_OBJECT; next = json.nextToken()) {
                    if (next == null) {
                        throw new InvalidBackupException(place.get(), "the file ends before the document does (truncated?)");
                    }
                    String name = json.currentName();
                    if (row.has(name)) {
                        throw new InvalidBackupException(place.get(), "field " + shown(name) + " appears twice in one object" + at(json));
                    }
                    json.nextToken();
                    row.put(name, readValue(json, depth + 1, place));
                }
                return row.build();
            }
            default:
                throw new InvalidBackupException(place.get(), "unexpected " + describe(token));
        }
    }

    private static String at(JsonParser json) {
        JsonLocation location = json.currentTokenLocation();
        return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    /** A field name for a message: plain identifiers as they are; anything else could be a value, so it is hidden. */
    static String shown(String name) {
        return IDENTIFIER.matcher(name).matches() ? name : "'...'";
    }

    static String describe(JsonToken token) {
        if (token == null) {
            return "the end of the file";
        }
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "an integer";
            case VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.asString() == null ? token.name() : token.asString();
        };
    }
}
