package io.djangouserbackup.core.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.JsonEOFException;
import io.djangouserbackup.core.InvalidBackupException;
import io.djangouserbackup.model.Row;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Streams the entries of a Django fixture, {@code [{"model": "auth.user", "pk": 1, "fields": {...}}, ...]}, one at
 * a time, checking each entry's shape; what the entries mean is {@link FixtureReader}'s business. Problems name the
 * entry ({@code [17].pk}); the bytes are hashed as they are read.
 */
final class FixtureEntries {

    /** Python's json module, which dumpdata uses, writes a float field's NaN and infinities bare. */
    static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(DocumentReader.MAX_DEPTH + 8)
                    .maxStringLength(64 * 1024 * 1024)
                    .maxNumberLength(150_000)
                    .build())
            .build();

    /** What is done with each entry. */
    interface Consumer {
        /**
         * One entry.
         *
         * @param index  its place in the fixture's list
         * @param model  its model label, lower case ({@code auth.user})
         * @param pk     its primary key (an id, or a text key of an included table), or null when it has none
     *               ({@code --natural-primary})
         * @param fields its fields
         */
        void entry(int index, String model, Object pk, Row fields);
    }

    private String place = "";
    private final Supplier<String> where = () -> place;

    /**
     * Streams every entry of the fixture to the consumer and closes the stream.
     *
     * @return the SHA-256 of the fixture's bytes
     */
    String stream(InputStream raw, Consumer consumer) throws IOException {
        MessageDigest sha256 = ContentDigest.newSha256();
        place = "";
        try (InputStream in = new DigestInputStream(raw, sha256); JsonParser json = FACTORY.createParser(in)) {
            if (json.nextToken() != JsonToken.START_ARRAY) {
                throw new InvalidBackupException("", "a Django fixture is a JSON list of objects, this file is not");
            }
            int index = 0;
            for (JsonToken token = json.nextToken(); token != JsonToken.END_ARRAY; token = json.nextToken(), index++) {
                place = "[" + index + "]";
                if (token == null) {
                    throw new InvalidBackupException(place, "the file ends before the fixture does (truncated?)");
                }
                if (token != JsonToken.START_OBJECT) {
                    throw new InvalidBackupException(place, "expected a fixture entry {\"model\": ..., \"fields\": {...}}, got "
                            + DocumentReader.describe(token));
                }
                Object value = DocumentReader.readValue(json, 1, where);
                entry(index, (Row) value, consumer);
            }
            place = "";
            if (json.nextToken() != null) {
                throw new InvalidBackupException("", "unexpected content after the end of the fixture");
            }
        } catch (JsonEOFException e) {
            throw new InvalidBackupException(place, "the file ends before the fixture does (truncated?)" + DocumentReader.where(e));
        } catch (JsonProcessingException e) {
            String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
            if (message.contains("end-of-input")) {
                throw new InvalidBackupException(place, "the file ends before the fixture does (truncated?)" + DocumentReader.where(e));
            }
            throw new InvalidBackupException(place, "not valid JSON" + DocumentReader.where(e) + ": "
                    + DocumentReader.jacksonProblem(message));
        } catch (CharConversionException e) {
            throw new InvalidBackupException(place, "not valid UTF-8: " + e.getMessage(), e);
        }
        return ContentDigest.hex(sha256.digest());
    }

    private void entry(int index, Row entry, Consumer consumer) {
        for (String name : entry.names()) {
            if (!name.equals("model") && !name.equals("pk") && !name.equals("fields")) {
                throw new InvalidBackupException(place + "." + DocumentReader.shown(name), "not a field of a fixture entry (model, pk, fields)");
            }
        }
        if (!(entry.get("model") instanceof String model)) {
            throw new InvalidBackupException(place + ".model", entry.has("model") ? "expected a string like \"auth.user\""
                    : "missing");
        }
        Object pk = entry.get("pk");
        if (pk instanceof Row || pk instanceof List) {
            throw new InvalidBackupException(place + ".pk", "expected a single value (or none, with --natural-primary)");
        }
        if (!(entry.get("fields") instanceof Row fields)) {
            throw new InvalidBackupException(place + ".fields", entry.has("fields") ? "expected an object" : "missing");
        }
        consumer.entry(index, model.toLowerCase(Locale.ROOT), pk, fields);
    }
}
