package io.djangouserbackup.core.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import io.djangouserbackup.core.InvalidBackupException;
import io.djangouserbackup.core.spi.Column;
import io.djangouserbackup.core.spi.ColumnType;
import io.djangouserbackup.core.spi.ColumnValues;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place that decides the form each document value takes in Django's JSON fixture format ({@code dumpdata},
 * {@code loaddata}) and back, from the column it belongs to, as Django 3.2's serializers write and read it
 * ({@code django/core/serializers/python.py}: a value of a "protected type" as it is, anything else through its
 * field's {@code value_to_string}; {@code DjangoJSONEncoder} for datetimes, dates, times and decimals; each field's
 * {@code to_python} when loading).
 *
 * <table>
 *   <caption>Document form and fixture form, per column</caption>
 *   <tr><th>column</th><th>document</th><th>fixture</th></tr>
 *   <tr><td>datetime</td><td>{@code "2022-05-19 22:34:19.600861"} (UTC)</td>
 *       <td>{@code "2022-05-19T22:34:19.600861Z"}: Django's encoder keeps milliseconds only
 *       ({@code ...19.600Z}); this writes every microsecond, which {@code parse_datetime} reads. Read: any offset
 *       is turned into UTC; a value without one is taken as UTC, as written</td></tr>
 *   <tr><td>date, time</td><td>{@code "2022-05-19"}, {@code "22:34:19.600861"}</td>
 *       <td>the same ({@code isoformat}; Django's encoder again keeps only milliseconds of a time)</td></tr>
 *   <tr><td>boolean</td><td>{@code true}/{@code false}</td><td>the same; read also as Django reads
 *       {@code "t"}, {@code "True"}, {@code "1"}, {@code 1}, ...</td></tr>
 *   <tr><td>decimal</td><td>a JSON number, digit for digit</td><td>a string ({@code "0.70"}): the digits,
 *       padded with zeros to the scale of a declared {@code numeric(p, s)}, never rounded</td></tr>
 *   <tr><td>floating point</td><td>a JSON number; {@code "Infinity"}, {@code "-Infinity"}, {@code "NaN"}</td>
 *       <td>the same number, and the same strings (Django's {@code float()} reads them; Python's own
 *       {@code json} writes them bare, which is read too)</td></tr>
 *   <tr><td>duration</td><td>integer microseconds</td><td>{@code duration_string}: {@code "-1 23:59:59.999999"}
 *       (minus one microsecond); read also in ISO 8601 ({@code "P1DT02H03M04.000005S"}) and PostgreSQL's
 *       {@code "3 days 04:05:06"}</td></tr>
 *   <tr><td>UUID ({@code uuid}; {@code char(32)})</td><td>32 lower-case hex digits</td>
 *       <td>{@code str(uuid)}, with dashes</td></tr>
 *   <tr><td>binary</td><td>base64</td><td>base64, the same</td></tr>
 *   <tr><td>JSON ({@code jsonb}, {@code json})</td><td>the stored JSON text, as a string</td>
 *       <td>the JSON value itself (an object, an array, ...); read back as text the way Django stores it
 *       ({@code json.dumps}: {@code ", "} and {@code ": "} separators, non-ASCII escaped as {@code \\u00fc})</td></tr>
 *   <tr><td>integer, text</td><td>a JSON integer, a string</td><td>the same; read also as Django reads a string
 *       of digits into an integer column</td></tr>
 * </table>
 *
 * <p>What the declared types cannot tell: Django declares a {@code DurationField} as {@code bigint} on SQLite and
 * MySQL (only PostgreSQL's {@code interval} says so), and a {@code JSONField} as {@code text} on SQLite and
 * {@code longtext} on MariaDB. In an integer column a string with a colon or an ISO 8601 {@code P} is read as a
 * duration, in microseconds (Django's {@code duration_string} always writes {@code hh:mm:ss}); written, such a
 * column's value stays an integer. A caller that knows a text column holds JSON passes {@link #JSON} as its
 * declared type. PostgreSQL's arrays, hstore and ranges have no fixture form here and are refused.
 *
 * <p>Fixture values are plain Java values ({@code null}, {@link Boolean}, {@link Long}, {@link BigInteger},
 * {@link BigDecimal}, {@link Double}, {@link String}), or a {@link Json} for a JSON field's value (any JSON, which a
 * reader takes with {@link #readJson(JsonParser)} when a field's value is an object or an array); a writer writes
 * either with {@link #write(JsonGenerator, Object)}. Document values are this library's forms (docs/VALUES.md).
 */
public final class DjangoFixtureValues {

    /** A declared type that says the column holds a {@code JSONField}'s text, whatever the engine declares. */
    public static final String JSON = "json";

    /** Python's json module reads and writes NaN and Infinity bare, inside a JSON field too. */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    /**
     * A JSON field's value in a fixture: any JSON (object, array, string, number, ...), held as its text in the form
     * Django stores it ({@code json.dumps}).
     *
     * @param text the JSON text
     */
    public record Json(String text) {
        /**
         * Checks the JSON text and keeps it as {@code json.dumps} writes it.
         *
         * @throws IllegalArgumentException when the text is not one JSON value
         */
        public Json {
            text = pythonJsonText(text);
        }
    }

    private static final DateTimeFormatter DATE = DateTimeFormatter.ISO_LOCAL_DATE;
    private static final Pattern DIGITS = Pattern.compile("[+-]?\\d+");
    private static final Pattern HEX_UUID = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern STANDARD_DURATION = Pattern.compile(
            "(?:(-?\\d+) (?:days?, )?)?(-?)(?:(\\d+):(?=\\d+:\\d+))?(?:(\\d+):)?(\\d+)(?:[.,](\\d+))?");
    private static final Pattern POSTGRES_DURATION = Pattern.compile(
            "(?:(-?\\d+) days? ?)?(?:([-+])?(\\d+):(\\d\\d):(\\d\\d)(?:\\.(\\d+))?)?");
    private static final Pattern ISO_DURATION = Pattern.compile(
            "([-+]?)P(?:(\\d+(?:\\.\\d+)?)D)?(?:T(?:(\\d+(?:\\.\\d+)?)H)?(?:(\\d+(?:\\.\\d+)?)M)?(?:(\\d+(?:\\.\\d+)?)S)?)?");
    private static final BigInteger MICROS_PER_DAY = BigInteger.valueOf(86_400_000_000L);

    private DjangoFixtureValues() {
    }

    // ---------------------------------------------------------------- document -> fixture

    /**
     * The fixture form of a document value of the column, as Django's serializer writes it (datetimes and times with
     * every microsecond).
     *
     * @throws IllegalArgumentException when the value has no fixture form (a PostgreSQL array, hstore or range), or
     *                                  is not of the column's kind (the document was checked when read)
     */
    public static Object toFixture(Object value, Column column) {
        if (value == null) {
            return null;
        }
        String declared = declared(column);
        if (isJson(declared)) {
            if (!(value instanceof String text)) {
                throw new IllegalArgumentException("column " + column.name() + ": expected the JSON field's text");
            }
            try {
                return new Json(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("column " + column.name() + ": not JSON text", e);
            }
        }
        if (isUuid(declared) && value instanceof String text) {
            return dashedUuid(text, column);
        }
        if (declared.endsWith("[]") || declared.equals("hstore") || declared.endsWith("range")) {
            throw new IllegalArgumentException("column " + column.name() + " (" + column.declaredType()
                    + "): PostgreSQL's " + column.declaredType() + " has no Django fixture form here");
        }
        return switch (column.type()) {
            case DATETIME -> {
                OffsetDateTime utc = ServerDialect.parseDateTime((String) value).withOffsetSameInstant(ZoneOffset.UTC);
                yield utc.toLocalDate().format(DATE) + "T" + ServerDialect.formatTime(utc.toLocalTime()) + "Z";
            }
            case DATE -> LocalDate.parse(normalDate((String) value)).format(DATE);
            case TIME -> ServerDialect.formatTime(ServerDialect.parseTime((String) value));
            case DECIMAL -> decimalText(ColumnValues.exactNumber(value), declared);
            case DURATION -> durationString(Integers.toBigInteger(value));
            case REAL -> value instanceof Double number ? Floats.toDocument(number) : value;
            default -> value;
        };
    }

    // ---------------------------------------------------------------- fixture -> document

    /**
     * The document form of a fixture value for the column, read as Django's {@code to_python} reads it, without
     * losing a digit.
     *
     * @param place where the value stands, for the message, e.g. {@code fixture[17].fields.date_joined}
     * @throws InvalidBackupException naming the place when Django would not read the value into this column, or
     *                                only by dropping digits
     */
    public static Object fromFixture(Object value, Column column, String place) {
        Object plain = plain(value);
        if (plain == null) {
            return null;
        }
        String declared = declared(column);
        if (isJson(declared)) {
            return jsonText(plain, place);
        }
        if (plain instanceof Json json) {
            throw new InvalidBackupException(place, "expected a single value for column " + column.name() + ", got "
                    + (json.text().startsWith("[") ? "an array" : json.text().startsWith("{") ? "an object" : "a JSON value"));
        }
        if (isUuid(declared)) {
            return hexUuid(plain, place);
        }
        return switch (column.type()) {
            case BOOLEAN -> bool(plain, place);
            case INTEGER -> integer(plain, place);
            case DURATION -> micros(plain, place);
            case DECIMAL -> decimal(plain, place);
            case REAL -> real(plain, place);
            case DATETIME -> dateTime(plain, place);
            case DATE -> date(plain, place);
            case TIME -> time(plain, place);
            case BLOB -> base64(plain, place);
            case TEXT -> text(plain, place);
            case OTHER -> plain instanceof BigInteger big ? Integers.toDocument(new BigDecimal(big)) : plain;
        };
    }

    // ---------------------------------------------------------------- the kinds

    private static String declared(Column column) {
        return column.declaredType() == null ? "" : column.declaredType().trim().toLowerCase(Locale.ROOT);
    }

    private static boolean isJson(String declared) {
        return declared.equals(JSON) || declared.equals("jsonb");
    }

    /** PostgreSQL's {@code uuid}; SQLite and MySQL declare Django's {@code UUIDField} {@code char(32)} (a {@code CharField} is {@code varchar}). */
    private static boolean isUuid(String declared) {
        return declared.equals("uuid") || declared.replace(" ", "").equals("char(32)");
    }

    private static Object plain(Object value) {
        return value instanceof Integer number ? Long.valueOf(number) : value;
    }

    private static String normalDate(String text) {
        String[] parts = text.split("-");
        return String.format(Locale.ROOT, "%04d-%02d-%02d", Integer.parseInt(parts[0]), Integer.parseInt(parts[1]),
                Integer.parseInt(parts[2]));
    }

    private static Object bool(Object value, String place) {
        // BooleanField.to_python: True/False, 1/0, and the strings 't', 'True', '1', 'f', 'False', '0'.
        if (value instanceof Boolean) {
            return value;
        }
        if (value instanceof Long number && (number == 0 || number == 1)) {
            return number == 1;
        }
        if (value instanceof String text) {
            switch (text) {
                case "t", "True", "1" -> {
                    return true;
                }
                case "f", "False", "0" -> {
                    return false;
                }
                default -> {
                }
            }
        }
        throw refused(place, "expected true or false", value);
    }

    private static Object integer(Object value, String place) {
        if (value instanceof Long) {
            return value;
        }
        if (value instanceof BigInteger big) {
            return Integers.toDocument(new BigDecimal(big));
        }
        if (value instanceof BigDecimal decimal && decimal.stripTrailingZeros().scale() <= 0) {
            return Integers.toDocument(decimal);
        }
        if (value instanceof String text) {
            String trimmed = text.strip();
            if (DIGITS.matcher(trimmed).matches()) {
                return Integers.toDocument(new BigDecimal(trimmed));
            }
            if (trimmed.contains(":") || trimmed.contains("P")) {
                // A DurationField that the engine declares bigint: Django's duration_string always has hh:mm:ss.
                return micros(trimmed, place);
            }
        }
        throw refused(place, "expected an integer", value);
    }

    private static Object decimal(Object value, String place) {
        BigDecimal exact = value instanceof String text ? parseDecimal(text.strip()) : ColumnValues.exactNumber(
                value instanceof BigInteger big ? new BigDecimal(big) : value);
        if (exact == null) {
            throw refused(place, "expected a decimal number", value);
        }
        return Decimals.canonical(exact);
    }

    private static BigDecimal parseDecimal(String text) {
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Object real(Object value, String place) {
        if (value instanceof Double number) {
            return Floats.toDocument(number);
        }
        if (value instanceof Long || value instanceof BigDecimal) {
            return value;
        }
        if (value instanceof BigInteger big) {
            return new BigDecimal(big);
        }
        if (value instanceof String text) {
            // float(): Python's names for the values JSON has no number for, and numbers in a string.
            switch (text.strip().toLowerCase(Locale.ROOT)) {
                case "nan", "+nan", "-nan" -> {
                    return "NaN";
                }
                case "inf", "+inf", "infinity", "+infinity" -> {
                    return "Infinity";
                }
                case "-inf", "-infinity" -> {
                    return "-Infinity";
                }
                default -> {
                    BigDecimal number = parseDecimal(text.strip());
                    if (number != null) {
                        return Decimals.canonical(number);
                    }
                }
            }
        }
        throw refused(place, "expected a number (or \"Infinity\", \"-Infinity\", \"NaN\")", value);
    }

    private static Object dateTime(Object value, String place) {
        if (value instanceof String text) {
            try {
                OffsetDateTime utc = ServerDialect.parseDateTime(text.strip()).withOffsetSameInstant(ZoneOffset.UTC);
                return ServerDialect.formatDateTime(utc.toLocalDateTime());
            } catch (RuntimeException e) {
                // not parsed, or not on the calendar: refused below
            }
        }
        throw refused(place, "expected a date and time like 2022-05-19T22:34:19.600861Z", value);
    }

    private static Object date(Object value, String place) {
        if (value instanceof String text) {
            try {
                return LocalDate.parse(normalDate(text.strip())).format(DATE);
            } catch (RuntimeException e) {
                // refused below
            }
        }
        throw refused(place, "expected a date like 2022-05-19", value);
    }

    private static Object time(Object value, String place) {
        if (value instanceof String text) {
            try {
                return ServerDialect.formatTime(ServerDialect.parseTime(text.strip()));
            } catch (RuntimeException e) {
                // refused below
            }
        }
        throw refused(place, "expected a time like 22:34:19.600861", value);
    }

    private static Object base64(Object value, String place) {
        if (value instanceof String text) {
            try {
                return Base64.getEncoder().encodeToString(Base64.getDecoder().decode(text));
            } catch (IllegalArgumentException e) {
                // refused below
            }
        }
        throw refused(place, "expected base64 text", value);
    }

    private static Object text(Object value, String place) {
        if (value instanceof String) {
            return value;
        }
        if (value instanceof Long || value instanceof BigInteger) {
            return value.toString(); // CharField.to_python: str(value), the same digits
        }
        throw refused(place, "expected a string", value);
    }

    private static Object hexUuid(Object value, String place) {
        try {
            if (value instanceof Long || value instanceof BigInteger) {
                // UUIDField.to_python takes an int as the UUID's 128 bits.
                BigInteger bits = value instanceof Long number ? BigInteger.valueOf(number) : (BigInteger) value;
                if (bits.signum() >= 0 && bits.bitLength() <= 128) {
                    return String.format(Locale.ROOT, "%032x", bits);
                }
            } else if (value instanceof String text) {
                String hex = text.strip().toLowerCase(Locale.ROOT).replace("urn:", "").replace("uuid:", "")
                        .replaceAll("[{}-]", "");
                if (HEX_UUID.matcher(hex).matches()) {
                    return hex;
                }
            }
        } catch (RuntimeException e) {
            // refused below
        }
        throw refused(place, "expected a UUID", value);
    }

    private static String dashedUuid(String hex, Column column) {
        String plainHex = hex.replace("-", "").toLowerCase(Locale.ROOT);
        if (!HEX_UUID.matcher(plainHex).matches()) {
            throw new IllegalArgumentException("column " + column.name() + ": not a UUID");
        }
        return new UUID(Long.parseUnsignedLong(plainHex.substring(0, 16), 16),
                Long.parseUnsignedLong(plainHex.substring(16), 16)).toString();
    }

    // ---------------------------------------------------------------- decimals

    /** The digits as Django's encoder writes a {@code Decimal} read from the column: {@code str()}, at the declared scale. */
    private static String decimalText(BigDecimal value, String declared) {
        Matcher scale = Pattern.compile("(?:numeric|decimal)\\s*\\(\\s*\\d+\\s*,\\s*(\\d+)\\s*\\).*").matcher(declared);
        BigDecimal exact = Decimals.toBigDecimal(Decimals.canonical(value));
        if (scale.matches() && exact.scale() < Integer.parseInt(scale.group(1))) {
            exact = exact.setScale(Integer.parseInt(scale.group(1)));
        } else if (exact.scale() < 0) {
            exact = exact.setScale(0);
        }
        return exact.toPlainString();
    }

    // ---------------------------------------------------------------- durations

    /** Django's {@code duration_string(timedelta(microseconds=micros))}. */
    static String durationString(BigInteger micros) {
        BigInteger[] daysAndRest = micros.divideAndRemainder(MICROS_PER_DAY);
        BigInteger days = daysAndRest[0];
        long rest = daysAndRest[1].longValueExact();
        if (rest < 0) {
            // timedelta: the time of day is never negative, the days carry the sign.
            days = days.subtract(BigInteger.ONE);
            rest += MICROS_PER_DAY.longValueExact();
        }
        long seconds = rest / 1_000_000L;
        long fraction = rest % 1_000_000L;
        String text = String.format(Locale.ROOT, "%02d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
        if (days.signum() != 0) {
            text = days + " " + text;
        }
        return fraction == 0 ? text : text + String.format(Locale.ROOT, ".%06d", fraction);
    }

    /** Django's {@code parse_duration} of a fixture value, as integer microseconds, without rounding. */
    private static Object micros(Object value, String place) {
        if (value instanceof Long || value instanceof BigInteger) {
            return integer(value, place);
        }
        if (!(value instanceof String text)) {
            throw refused(place, "expected a duration like \"1 02:03:04.000005\"", value);
        }
        try {
            BigDecimal seconds = durationSeconds(text.strip());
            if (seconds != null) {
                BigDecimal micros = seconds.movePointRight(6);
                if (micros.stripTrailingZeros().scale() > 0) {
                    throw new InvalidBackupException(place, "a duration finer than a microsecond, which Django cannot hold");
                }
                return Integers.toDocument(micros);
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw refused(place, "expected a duration like \"1 02:03:04.000005\"", value);
    }

    private static BigDecimal durationSeconds(String text) {
        Matcher m = STANDARD_DURATION.matcher(text);
        if (m.matches()) {
            BigDecimal time = number(m.group(3)).multiply(BigDecimal.valueOf(3600))
                    .add(number(m.group(4)).multiply(BigDecimal.valueOf(60)))
                    .add(number(m.group(5)))
                    .add(fraction(m.group(6)));
            return number(m.group(1)).multiply(BigDecimal.valueOf(86_400)).add(m.group(2).equals("-") ? time.negate() : time);
        }
        m = ISO_DURATION.matcher(text);
        if (m.matches() && !text.endsWith("P") && !text.endsWith("T")) {
            BigDecimal all = number(m.group(2)).multiply(BigDecimal.valueOf(86_400))
                    .add(number(m.group(3)).multiply(BigDecimal.valueOf(3600)))
                    .add(number(m.group(4)).multiply(BigDecimal.valueOf(60)))
                    .add(number(m.group(5)));
            return m.group(1).equals("-") ? all.negate() : all;
        }
        m = POSTGRES_DURATION.matcher(text);
        if (m.matches() && !text.isEmpty()) {
            BigDecimal time = number(m.group(3)).multiply(BigDecimal.valueOf(3600))
                    .add(number(m.group(4)).multiply(BigDecimal.valueOf(60)))
                    .add(number(m.group(5)))
                    .add(fraction(m.group(6)));
            return number(m.group(1)).multiply(BigDecimal.valueOf(86_400))
                    .add("-".equals(m.group(2)) ? time.negate() : time);
        }
        return null;
    }

    private static BigDecimal number(String digits) {
        return digits == null ? BigDecimal.ZERO : new BigDecimal(digits);
    }

    private static BigDecimal fraction(String digits) {
        return digits == null ? BigDecimal.ZERO : new BigDecimal("0." + digits);
    }

    // ---------------------------------------------------------------- JSON fields

    /** A JSON field's document text, from its fixture value: the JSON itself, or a scalar. */
    private static String jsonText(Object value, String place) {
        if (value instanceof Json json) {
            return json.text();
        }
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            if (value instanceof Double number && !Double.isFinite(number)) {
                // Python's json writes them bare; so does Django into a JSON field.
                generator.writeRawValue(Double.isNaN(number) ? "NaN" : number > 0 ? "Infinity" : "-Infinity");
            } else {
                write(generator, value);
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidBackupException(place, "not a JSON value", e);
        }
        return new Json(out.toString()).text();
    }

    /**
     * Reads the value at the parser's current token (a scalar, or a whole object or array, after which the parser
     * stands at its end) as a {@link Json}, for a reader that meets an object or an array as a field's value.
     *
     * @throws IOException when the parser does
     */
    public static Json readJson(JsonParser parser) throws IOException {
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            copy(parser, generator);
        }
        return new Json(out.toString());
    }

    /**
     * Writes a fixture value ({@link #toFixture}'s result) at the generator's position.
     *
     * @throws IOException when the generator does
     */
    public static void write(JsonGenerator generator, Object fixtureValue) throws IOException {
        if (fixtureValue == null) {
            generator.writeNull();
        } else if (fixtureValue instanceof Json json) {
            generator.writeRawValue(json.text());
        } else if (fixtureValue instanceof String text) {
            generator.writeString(text);
        } else if (fixtureValue instanceof Boolean bool) {
            generator.writeBoolean(bool);
        } else if (fixtureValue instanceof Long number) {
            generator.writeNumber(number);
        } else if (fixtureValue instanceof BigInteger number) {
            generator.writeNumber(number);
        } else if (fixtureValue instanceof BigDecimal number) {
            generator.writeNumber(number.scale() < 0 ? number.toBigIntegerExact().toString() : number.toPlainString());
        } else if (fixtureValue instanceof Double number) {
            generator.writeNumber(number);
        } else {
            throw new IllegalArgumentException("not a fixture value: " + fixtureValue.getClass().getName());
        }
    }

    /** JSON text as Python's {@code json.dumps} writes it: {@code ", "} and {@code ": "}, non-ASCII as lower-case escapes. */
    private static String pythonJsonText(String text) {
        StringWriter out = new StringWriter();
        try (JsonParser parser = FACTORY.createParser(text);
             JsonGenerator generator = FACTORY.createGenerator(out).setPrettyPrinter(new PythonSeparators())) {
            if (parser.nextToken() == null) {
                throw new IllegalArgumentException("empty JSON text");
            }
            copy(parser, generator);
            if (parser.nextToken() != null) {
                throw new IllegalArgumentException("more than one JSON value");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON text: " + e.getMessage(), e);
        }
        String written = out.toString();
        StringBuilder ascii = new StringBuilder(written.length());
        for (int i = 0; i < written.length(); i++) {
            char c = written.charAt(i);
            if (c < 0x80) {
                ascii.append(c);
            } else {
                // json.dumps escapes every non-ASCII UTF-16 unit (they only occur in strings).
                ascii.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            }
        }
        return ascii.toString();
    }

    /** Copies the parser's current value to the generator, numbers digit for digit as written (never through a double). */
    private static void copy(JsonParser parser, JsonGenerator generator) throws IOException {
        int depth = 0;
        do {
            JsonToken token = parser.currentToken();
            if (token == null) {
                throw new IOException("the JSON value ends early");
            }
            switch (token) {
                case START_OBJECT -> {
                    generator.writeStartObject();
                    depth++;
                }
                case START_ARRAY -> {
                    generator.writeStartArray();
                    depth++;
                }
                case END_OBJECT -> {
                    generator.writeEndObject();
                    depth--;
                }
                case END_ARRAY -> {
                    generator.writeEndArray();
                    depth--;
                }
                case FIELD_NAME -> generator.writeFieldName(parser.currentName());
                case VALUE_STRING -> generator.writeString(parser.getText());
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> generator.writeNumber(parser.getText());
                case VALUE_TRUE, VALUE_FALSE -> generator.writeBoolean(token == JsonToken.VALUE_TRUE);
                case VALUE_NULL -> generator.writeNull();
                default -> throw new IOException("unexpected " + token);
            }
        } while (depth > 0 && parser.nextToken() != null);
        if (depth > 0) {
            throw new IOException("the JSON value ends early");
        }
    }

    /** Python's {@code json.dumps} spacing: {@code {"a": [1, 2]}}. */
    private static final class PythonSeparators extends MinimalPrettyPrinter {
        private static final long serialVersionUID = 1L;

        @Override
        public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(": ");
        }

        @Override
        public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
            g.writeRaw(", ");
        }

        @Override
        public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(", ");
        }
    }

    private static InvalidBackupException refused(String place, String expectation, Object value) {
        return new InvalidBackupException(place, expectation + ", got " + ColumnValues.jsonType(
                value instanceof BigInteger big ? new BigDecimal(big) : value));
    }
}
