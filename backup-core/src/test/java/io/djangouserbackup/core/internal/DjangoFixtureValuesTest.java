package io.djangouserbackup.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.djangouserbackup.core.InvalidBackupException;
import io.djangouserbackup.core.spi.Column;
import io.djangouserbackup.core.spi.ColumnType;
import io.djangouserbackup.core.spi.ColumnValues;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real Django 3.2 ({@code /usr/bin/python3}) judges {@link DjangoFixtureValues} both ways, for every kind of column:
 * what Django's JSON serializer writes for a value reads back as the document value (less the digits Django's
 * encoder drops of datetimes and times), and what this class writes for the document value loads, through the
 * deserializer's {@code to_python}, as exactly the value Django started from.
 */
class DjangoFixtureValuesTest {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    /**
     * One value: the Django field declaring it, the Python value, the column as an engine declares it, the document
     * value, and the document value of what Django writes (when its encoder drops digits; else the same).
     */
    record Case(String field, String python, Column column, Object document, Object fromDjango, boolean djangoLoads) {
        Case(String field, String python, Column column, Object document) {
            this(field, python, column, document, document, true);
        }
    }

    private static Column column(String declared, ColumnType type) {
        return new Column("f", declared, type, null, false, false, false);
    }

    private static final List<Case> CASES = List.of(
            new Case("models.DateTimeField(null=True)", "datetime.datetime(2022, 5, 19, 22, 34, 19, 600861, tzinfo=UTC)",
                    column("datetime", ColumnType.DATETIME), "2022-05-19 22:34:19.600861", "2022-05-19 22:34:19.600000", true),
            new Case("models.DateTimeField(null=True)", "datetime.datetime(2022, 5, 19, 22, 34, 19, tzinfo=UTC)",
                    column("datetime", ColumnType.DATETIME), "2022-05-19 22:34:19"),
            new Case("models.DateTimeField(null=True)", "datetime.datetime(1999, 12, 31, 23, 59, 59, 5, tzinfo=UTC)",
                    column("timestamp with time zone", ColumnType.DATETIME), "1999-12-31 23:59:59.000005", "1999-12-31 23:59:59", true),
            new Case("models.DateTimeField(null=True)", "None", column("datetime(6)", ColumnType.DATETIME), null),
            new Case("models.DateField()", "datetime.date(2022, 5, 19)", column("date", ColumnType.DATE), "2022-05-19"),
            new Case("models.DateField()", "datetime.date(1, 1, 1)", column("date", ColumnType.DATE), "0001-01-01"),
            new Case("models.TimeField()", "datetime.time(22, 34, 19, 600861)", column("time", ColumnType.TIME),
                    "22:34:19.600861", "22:34:19.600000", true),
            new Case("models.TimeField()", "datetime.time(9, 5)", column("time(6)", ColumnType.TIME), "09:05:00"),
            new Case("models.BooleanField()", "True", column("bool", ColumnType.BOOLEAN), true),
            new Case("models.BooleanField()", "False", column("tinyint(1)", ColumnType.BOOLEAN), false),
            new Case("models.BooleanField(null=True)", "None", column("boolean", ColumnType.BOOLEAN), null),
            new Case("models.DecimalField(max_digits=5, decimal_places=2)", "decimal.Decimal('0.70')",
                    column("numeric(5,2)", ColumnType.DECIMAL), new BigDecimal("0.7")),
            new Case("models.DecimalField(max_digits=5, decimal_places=2)", "decimal.Decimal('100.00')",
                    column("decimal(5,2)", ColumnType.DECIMAL), 100L),
            new Case("models.DecimalField(max_digits=30, decimal_places=10)",
                    "decimal.Decimal('12345678901234567890.1234567890')", column("numeric(30,10)", ColumnType.DECIMAL),
                    new BigDecimal("12345678901234567890.123456789")),
            new Case("models.DecimalField(max_digits=12, decimal_places=4)", "decimal.Decimal('-0.0001')",
                    column("numeric(12,4)", ColumnType.DECIMAL), new BigDecimal("-0.0001")),
            new Case("models.FloatField()", "0.1", column("real", ColumnType.REAL), 0.1),
            new Case("models.FloatField()", "1e-300", column("double precision", ColumnType.REAL), 1.0E-300),
            new Case("models.FloatField()", "float('inf')", column("real", ColumnType.REAL), "Infinity"),
            new Case("models.FloatField()", "float('-inf')", column("double", ColumnType.REAL), "-Infinity"),
            new Case("models.FloatField()", "float('nan')", column("double precision", ColumnType.REAL), "NaN"),
            new Case("models.DurationField()", "datetime.timedelta(microseconds=-1)", column("interval", ColumnType.DURATION), -1L),
            new Case("models.DurationField()", "datetime.timedelta(days=3, seconds=7384, microseconds=5)",
                    column("interval", ColumnType.DURATION), 266_584_000_005L),
            new Case("models.DurationField()", "datetime.timedelta(days=-99999)", column("interval", ColumnType.DURATION),
                    -8_639_913_600_000_000L),
            // SQLite and MySQL declare a DurationField bigint: read by its form, written as the integer it is there.
            new Case("models.DurationField()", "datetime.timedelta(seconds=-90)", column("bigint", ColumnType.INTEGER),
                    -90_000_000L, -90_000_000L, false),
            new Case("models.UUIDField()", "uuid.UUID('12345678-1234-5678-9abc-def012345678')",
                    column("char(32)", ColumnType.TEXT), "12345678123456789abcdef012345678"),
            new Case("models.UUIDField()", "uuid.UUID('00000000-0000-0000-0000-000000000000')",
                    column("uuid", ColumnType.OTHER), "00000000000000000000000000000000"),
            new Case("models.BinaryField()", "b'\\x00\\xffhi'", column("BLOB", ColumnType.BLOB), "AP9oaQ=="),
            new Case("models.BinaryField()", "b''", column("bytea", ColumnType.BLOB), ""),
            new Case("models.JSONField(null=True)", "{'a': [1, 2.5, None, True], '\\u00fc': 'x \\U0001f389', 'n': {}}",
                    column("jsonb", ColumnType.OTHER), "{\"a\": [1, 2.5, null, true], \"\\u00fc\": \"x \\ud83c\\udf89\", \"n\": {}}"),
            new Case("models.JSONField(null=True)", "'just a string'", column(DjangoFixtureValues.JSON, ColumnType.TEXT),
                    "\"just a string\""),
            new Case("models.JSONField(null=True)", "[12345678901234567890123, 0.1]", column("json", ColumnType.OTHER),
                    "[12345678901234567890123, 0.1]"),
            new Case("models.BigIntegerField()", "2 ** 63 - 1", column("bigint", ColumnType.INTEGER), Long.MAX_VALUE),
            new Case("models.PositiveBigIntegerField()", "2 ** 64 - 1", column("bigint unsigned", ColumnType.INTEGER),
                    new BigDecimal("18446744073709551615")),
            new Case("models.IntegerField()", "-7", column("integer", ColumnType.INTEGER), -7L),
            new Case("models.CharField(max_length=150)", "'żółć 🎉 \"q\" \\\\'", column("varchar(150)", ColumnType.TEXT),
                    "żółć 🎉 \"q\" \\"),
            new Case("models.CharField(max_length=150)", "''", column("varchar(150)", ColumnType.TEXT), ""),
            new Case("models.GenericIPAddressField()", "'::1'", column("inet", ColumnType.OTHER), "::1"));

    @TempDir
    static Path dir;

    /** Django's fixture of the Python values, and what Django loaded from ours: field name -> value. */
    private static JsonNode djangoWrote;
    private static JsonNode djangoLoaded;

    @BeforeAll
    static void runDjango() throws Exception {
        StringBuilder fields = new StringBuilder();
        StringBuilder values = new StringBuilder();
        ObjectNode ours = JSON.createObjectNode();
        for (int i = 0; i < CASES.size(); i++) {
            Case c = CASES.get(i);
            fields.append("    f").append(i).append(" = ").append(c.field()).append('\n');
            values.append("    'f").append(i).append("': ").append(c.python()).append(",\n");
            if (c.djangoLoads()) {
                ours.set("f" + i, node(DjangoFixtureValues.toFixture(c.document(), c.column())));
            }
        }
        String script = """
                import datetime, decimal, json, math, sys, uuid
                import django
                from django.conf import settings
                settings.configure(USE_TZ=True, INSTALLED_APPS=['django.contrib.contenttypes'],
                                   DATABASES={'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': ':memory:'}})
                django.setup()
                from django.core import serializers
                from django.db import models
                UTC = datetime.timezone.utc

                class Thing(models.Model):
                    class Meta:
                        app_label = 'contenttypes'
                %s
                VALUES = {
                %s}

                def same(a, b):
                    if isinstance(a, memoryview) or isinstance(b, memoryview):
                        return bytes(a) == bytes(b)
                    if isinstance(a, float) and isinstance(b, float) and math.isnan(a):
                        return math.isnan(b)
                    return type(a) == type(b) and a == b and str(a) == str(b) if not isinstance(a, decimal.Decimal) else a == b

                wrote = json.loads(serializers.serialize('json', [Thing(pk=1, **VALUES)]))[0]['fields']
                ours = json.load(open(sys.argv[1]))
                loaded = next(serializers.deserialize('json', json.dumps([{'model': 'contenttypes.thing', 'pk': 1, 'fields': ours}]))).object
                verdicts = {name: same(VALUES[name], getattr(loaded, name)) or repr(getattr(loaded, name)) for name in ours}
                json.dump({'wrote': wrote, 'loaded': verdicts}, sys.stdout)
                """.formatted(fields, values);
        Path code = dir.resolve("fixture_values.py");
        Files.writeString(code, script);
        Path input = dir.resolve("ours.json");
        JSON.writeValue(input.toFile(), ours);
        ProcessBuilder builder = new ProcessBuilder("/usr/bin/python3", code.toString(), input.toString());
        builder.environment().remove("DJANGO_SETTINGS_MODULE");
        builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        Path err = dir.resolve("err.txt");
        builder.redirectError(err.toFile());
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as("python failed: %s", Files.readString(err)).isZero();
        JsonNode result = JSON.readTree(out);
        djangoWrote = result.get("wrote");
        djangoLoaded = result.get("loaded");
    }

    @Test
    void whatDjangoWritesReadsAsTheDocumentValue() {
        for (int i = 0; i < CASES.size(); i++) {
            Case c = CASES.get(i);
            Object read = DjangoFixtureValues.fromFixture(fixtureValue(djangoWrote.get("f" + i)), c.column(), "f" + i);
            assertThat(ColumnValues.sameValue(read, c.fromDjango()) && sameKind(read, c.fromDjango()))
                    .as("%s %s: Django wrote %s, read as %s", c.field(), c.python(), djangoWrote.get("f" + i), read).isTrue();
        }
    }

    @Test
    void whatThisWritesDjangoLoadsAsTheSameValue() {
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < CASES.size(); i++) {
            Case c = CASES.get(i);
            JsonNode verdict = djangoLoaded.get("f" + i);
            if (c.djangoLoads() && !(verdict != null && verdict.isBoolean() && verdict.booleanValue())) {
                wrong.add(c.field() + " " + c.python() + ": loaded as " + verdict);
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void whereDjangoKeepsEveryDigitThisWritesWhatDjangoWrites() {
        for (int i = 0; i < CASES.size(); i++) {
            Case c = CASES.get(i);
            if (c.fromDjango() == c.document() && c.djangoLoads()) {
                JsonNode ours = node(DjangoFixtureValues.toFixture(c.document(), c.column()));
                JsonNode django = djangoWrote.get("f" + i);
                // Python's json writes infinities and NaN bare, which strict JSON has not; this writes the strings
                // float() reads.
                boolean same = django.isDouble() && !Double.isFinite(django.doubleValue())
                        ? ours.isTextual() && ours.textValue().equals(Floats.toDocument(django.doubleValue()))
                        : ours.isNumber() && django.isNumber() ? ours.decimalValue().compareTo(django.decimalValue()) == 0
                        : ours.equals(django);
                assertThat(same).as("%s %s: ours %s, Django's %s", c.field(), c.python(), ours, django).isTrue();
            }
        }
    }

    @Test
    void everyValueRoundTrips() {
        for (Case c : CASES) {
            Object fixture = DjangoFixtureValues.toFixture(c.document(), c.column());
            Object back = DjangoFixtureValues.fromFixture(fixtureValue(node(fixture)), c.column(), "x");
            assertThat(ColumnValues.sameValue(back, c.document()) && sameKind(back, c.document()))
                    .as("%s: %s -> %s -> %s", c.python(), c.document(), fixture, back).isTrue();
        }
    }

    @Test
    void datetimesKeepEveryMicrosecondAndSayUtc() {
        Column column = column("datetime", ColumnType.DATETIME);
        assertThat(DjangoFixtureValues.toFixture("2022-05-19 22:34:19.600861", column)).isEqualTo("2022-05-19T22:34:19.600861Z");
        assertThat(DjangoFixtureValues.fromFixture("2022-05-20T00:34:19.5+02:00", column, "x")).isEqualTo("2022-05-19 22:34:19.500000");
        assertThat(DjangoFixtureValues.fromFixture("2022-05-19T22:34:19.600861", column, "x")).isEqualTo("2022-05-19 22:34:19.600861");
    }

    @Test
    void readsWhatDjangoAlsoReads() {
        assertThat(DjangoFixtureValues.fromFixture("t", column("bool", ColumnType.BOOLEAN), "x")).isEqualTo(true);
        assertThat(DjangoFixtureValues.fromFixture(0L, column("bool", ColumnType.BOOLEAN), "x")).isEqualTo(false);
        assertThat(DjangoFixtureValues.fromFixture("42", column("integer", ColumnType.INTEGER), "x")).isEqualTo(42L);
        assertThat(DjangoFixtureValues.fromFixture("P1DT02H03M04.000005S", column("interval", ColumnType.DURATION), "x"))
                .isEqualTo(93_784_000_005L);
        assertThat(DjangoFixtureValues.fromFixture("-P1D", column("bigint", ColumnType.INTEGER), "x")).isEqualTo(-86_400_000_000L);
        assertThat(DjangoFixtureValues.fromFixture("3 days 04:05:06", column("interval", ColumnType.DURATION), "x"))
                .isEqualTo(273_906_000_000L);
        assertThat(DjangoFixtureValues.fromFixture("{12345678-1234-5678-9ABC-DEF012345678}", column("uuid", ColumnType.OTHER), "x"))
                .isEqualTo("12345678123456789abcdef012345678");
        assertThat(DjangoFixtureValues.fromFixture(2.5, column("numeric(5,2)", ColumnType.DECIMAL), "x")).isEqualTo(new BigDecimal("2.5"));
    }

    @Test
    void refusesWhatDjangoWouldNotReadOrOnlyByDroppingDigits() {
        assertThatThrownBy(() -> DjangoFixtureValues.fromFixture("yes", column("bool", ColumnType.BOOLEAN), "fixture[3].fields.is_staff"))
                .isInstanceOf(InvalidBackupException.class).hasMessageContaining("fixture[3].fields.is_staff");
        assertThatThrownBy(() -> DjangoFixtureValues.fromFixture("00:00:01.0000001", column("interval", ColumnType.DURATION), "d"))
                .isInstanceOf(InvalidBackupException.class).hasMessageContaining("finer than a microsecond");
        assertThatThrownBy(() -> DjangoFixtureValues.fromFixture("2022-02-30T00:00:00Z", column("datetime", ColumnType.DATETIME), "t"))
                .isInstanceOf(InvalidBackupException.class).hasMessageContaining("t: expected a date and time");
        assertThatThrownBy(() -> DjangoFixtureValues.fromFixture(new DjangoFixtureValues.Json("[1]"), column("text", ColumnType.TEXT), "a"))
                .isInstanceOf(InvalidBackupException.class).hasMessageContaining("array");
        assertThatThrownBy(() -> DjangoFixtureValues.fromFixture("not-a-uuid", column("char(32)", ColumnType.TEXT), "u"))
                .isInstanceOf(InvalidBackupException.class).hasMessageContaining("UUID");
        assertThatThrownBy(() -> DjangoFixtureValues.toFixture("{1,2}", column("integer[]", ColumnType.OTHER)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no Django fixture form");
    }

    /** A fixture value as JSON, written by {@link DjangoFixtureValues#write}. */
    private static JsonNode node(Object fixtureValue) {
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = JSON.getFactory().createGenerator(out)) {
            DjangoFixtureValues.write(generator, fixtureValue);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return JSON.readTree(out.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JSON value as a reader hands it over: a scalar as its Java value, an object or array through readJson. */
    private static Object fixtureValue(JsonNode node) {
        try (JsonParser parser = JSON.getFactory().createParser(JSON.writeValueAsString(node))) {
            JsonToken token = parser.nextToken();
            return switch (token) {
                case START_OBJECT, START_ARRAY -> DjangoFixtureValues.readJson(parser);
                case VALUE_NULL -> null;
                case VALUE_TRUE, VALUE_FALSE -> parser.getBooleanValue();
                case VALUE_STRING -> parser.getText();
                case VALUE_NUMBER_INT -> parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? parser.getBigIntegerValue() : (Object) parser.getLongValue();
                default -> parser.isNaN() ? (Object) parser.getDoubleValue() : parser.getDecimalValue();
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same Java kind of document value: a text is not a number, a Long not a decimal fraction. */
    private static boolean sameKind(Object a, Object b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a instanceof Number && b instanceof Number) {
            return true;
        }
        return a.getClass() == b.getClass();
    }
}
