package io.djangouserbackup.cli.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.djangouserbackup.core.DatabaseServer;
import io.djangouserbackup.core.MariaDbServer;
import io.djangouserbackup.core.PostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 17: every Django field type at its extremes, on SQLite, PostgreSQL and MariaDB, moved by the built jar from
 * each engine into each (the three same-engine moves and the six pairs), with Django the judge: {@code dumpdata} and
 * every value as the ORM reads it at full precision, on the target, against the same of the source
 * ({@code interop/scenarios/every_field.py}).
 *
 * <ul>
 *   <li>The users of the {@code fieldtypes} variant hold values every engine holds. On SQLite from a server, a decimal
 *       is expected as Django itself holds it there (the nearest double, 15 significant digits), and the import must
 *       have said so: one note per column with the number of values.</li>
 *   <li>Values only some engines hold ({@code --extra}: infinities, NaN, the widest decimals, durations beyond 64-bit
 *       microseconds) move exactly where the target holds them; elsewhere the import is refused (exit 5) naming the
 *       column, and the target, which Django filled, is as it was.</li>
 *   <li>The {@code pgfieldtypes} variant (arrays, hstore, citext, ranges) moves exactly PostgreSQL to PostgreSQL and is
 *       refused naming the column on SQLite and MariaDB.</li>
 * </ul>
 *
 * Django migrates once per engine and variant (a template each copy comes from).
 */
class FieldTypesInteropIT {
    static final String VARIANT = "fieldtypes";
    static final String TABLE = "fieldtypes_user";

    enum Engine { SQLITE, POSTGRESQL, MARIADB }

    /** A database of one engine: a SQLite file or a server database, with its Django and the jar's arguments for it. */
    record Db(Engine engine, Django django, List<String> jarArgs) {
    }

    /** A source: its database, Django's dump of it and the jar's backup of it. */
    record Source(Db db, Path dump, Path backup) {
    }

    @TempDir
    static Path shared;
    static final AtomicInteger COUNTER = new AtomicInteger();
    static final Map<String, Path> SQLITE_TEMPLATES = new ConcurrentHashMap<>();
    static final Map<String, Source> SOURCES = new ConcurrentHashMap<>();

    @BeforeAll
    static void require() {
        Django.require();
        PostgresServer.SERVER.require();
        MariaDbServer.SERVER.require();
        Cli.jar();
    }

    static DatabaseServer server(Engine engine) {
        return engine == Engine.POSTGRESQL ? PostgresServer.SERVER : MariaDbServer.SERVER;
    }

    static String passwordVariable(Engine engine) {
        return engine == Engine.POSTGRESQL ? "PGPASSWORD" : "MYSQL_PWD";
    }

    /** A fresh database that Django migrated in the variant (a copy of a template migrated once). */
    static Db fresh(Engine engine, String variant) {
        int n = COUNTER.incrementAndGet();
        if (engine == Engine.SQLITE) {
            Path template = SQLITE_TEMPLATES.computeIfAbsent(variant, v -> {
                Django django = Django.on(shared.resolve("template-" + v + ".sqlite3")).variant(v);
                django.step("migrate");
                return django.db();
            });
            Path db = shared.resolve("db-" + n + ".sqlite3");
            try {
                Files.copy(template, db);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new Db(engine, Django.on(db).variant(variant), List.of("--db", db.toString()));
        }
        Path dir = shared.resolve("server-" + n);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Django django = Django.onServer(server(engine).create(variant).djangoUrl(), dir).variant(variant);
        return new Db(engine, django, List.of("--url", ServerInteropIT.urlWithoutPassword(django)));
    }

    /** Runs the jar on the database's engine (with the server's password in its client's variable), however it ends. */
    static Finished jar(Db db, String command, Path backup, String... more) {
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(db.jarArgs());
        args.addAll(List.of(more));
        args.add(backup.toString());
        Path dir = shared;
        return db.engine() == Engine.SQLITE ? Cli.run(dir, args.toArray(String[]::new))
                : Cli.tryOnServer(dir, passwordVariable(db.engine()), server(db.engine()).password(), args.toArray(String[]::new));
    }

    /** Django builds the users (all of {@code every_field.USERS}, or one extra set) on the engine; dumped and exported. */
    static Source source(Engine engine, String variant, String extra) {
        return SOURCES.computeIfAbsent(engine + "/" + variant + "/" + extra, key -> {
            Db db = fresh(engine, variant);
            String name = key.replace('/', '-').toLowerCase();
            Path dump = shared.resolve(name + ".dump.json");
            Path backup = shared.resolve(name + ".backup.json");
            List<String> build = new ArrayList<>(List.of("build-fieldtypes"));
            if (extra != null) {
                build.addAll(List.of("--extra", extra));
            }
            db.django().step(build.toArray(String[]::new));
            db.django().step("dump-fieldtypes", "--out", dump.toString());
            Finished export = jar(db, "export", backup);
            assertThat(export.exitCode()).as(export::describe).isZero();
            return new Source(db, dump, backup);
        });
    }

    static Stream<Arguments> everyPair() {
        return Stream.of(Engine.values()).flatMap(from -> Stream.of(Engine.values()).map(to -> Arguments.of(from, to)));
    }

    /**
     * The nine moves of users holding every field type at its extremes: Django on the target sees the source's values,
     * and on SQLite from a server the decimals Django itself would hold there, each column noted with its count.
     */
    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("everyPair")
    void everyFieldTypeAtItsExtremes_djangoOnTheTargetSeesTheSourceValues(Engine from, Engine to) {
        Source source = source(from, VARIANT, null);
        Db target = fresh(to, VARIANT);

        Finished imported = jar(target, "import", source.backup(), "--yes");

        assertThat(imported.exitCode()).as(imported::describe).isZero();
        Finished verdict = target.django().verdict("check-fieldtypes", "--expected", source.dump().toString());
        assertThat(verdict.factLong("checked_users")).isEqualTo(6);
        for (String column : List.of("wide", "widest")) {
            long approximated = verdict.factLong("approximated." + column);
            if (to == Engine.SQLITE && from != Engine.SQLITE) {
                assertThat(approximated).as("a server's 19- and 20-digit decimals are approximated in SQLite").isPositive();
                assertThat(imported.stderr() + imported.stdout()).as(imported::describe).containsPattern(
                        Pattern.quote("note: " + TABLE + "." + column + ": " + approximated + " value")
                                + (approximated == 1 ? " " : "s ") + "stored as the nearest double");
            } else {
                assertThat(approximated).isZero();
                assertThat(imported.stderr() + imported.stdout()).as(imported::describe).doesNotContain(TABLE + "." + column + ":");
            }
        }
    }

    static Stream<Arguments> extras() {
        return Stream.of(
                // Infinities: SQLite's REAL and PostgreSQL's double precision hold them; MySQL's double does not.
                Arguments.of("infinity", Engine.SQLITE, Engine.SQLITE, null),
                Arguments.of("infinity", Engine.SQLITE, Engine.POSTGRESQL, null),
                Arguments.of("infinity", Engine.POSTGRESQL, Engine.SQLITE, null),
                Arguments.of("infinity", Engine.POSTGRESQL, Engine.POSTGRESQL, null),
                Arguments.of("infinity", Engine.SQLITE, Engine.MARIADB, "real"),
                Arguments.of("infinity", Engine.POSTGRESQL, Engine.MARIADB, "real"),
                // NaN: PostgreSQL only (SQLite stores NULL for it).
                Arguments.of("nan", Engine.POSTGRESQL, Engine.POSTGRESQL, null),
                Arguments.of("nan", Engine.POSTGRESQL, Engine.SQLITE, "real"),
                Arguments.of("nan", Engine.POSTGRESQL, Engine.MARIADB, "real"),
                // numeric(30,10) and decimal(65,30) full of nines: exact between the servers; in SQLite the nearest
                // double has one digit too many for the field, which Django there cannot read back.
                Arguments.of("widest-decimals", Engine.POSTGRESQL, Engine.POSTGRESQL, null),
                Arguments.of("widest-decimals", Engine.POSTGRESQL, Engine.MARIADB, null),
                Arguments.of("widest-decimals", Engine.MARIADB, Engine.POSTGRESQL, null),
                Arguments.of("widest-decimals", Engine.MARIADB, Engine.MARIADB, null),
                Arguments.of("widest-decimals", Engine.POSTGRESQL, Engine.SQLITE, "wide"),
                Arguments.of("widest-decimals", Engine.MARIADB, Engine.SQLITE, "wide"),
                // timedelta.max and .min: an interval holds them, 64-bit microseconds do not.
                Arguments.of("long-durations", Engine.POSTGRESQL, Engine.POSTGRESQL, null),
                Arguments.of("long-durations", Engine.POSTGRESQL, Engine.SQLITE, "span"),
                Arguments.of("long-durations", Engine.POSTGRESQL, Engine.MARIADB, "span"));
    }

    /**
     * Values only some engines hold: exact where the target holds them; elsewhere refused (exit 5) naming the column,
     * and Django sees the target as it was.
     */
    @ParameterizedTest(name = "{0}: {1} -> {2}, refused naming {3}")
    @MethodSource("extras")
    void valuesOnlySomeEnginesHold_exactWhereHeldElseRefusedNamingTheColumn(String extra, Engine from, Engine to, String refused) {
        Source source = source(from, VARIANT, extra);
        if (refused == null) {
            Db target = fresh(to, VARIANT);
            Finished imported = jar(target, "import", source.backup(), "--yes");
            assertThat(imported.exitCode()).as(imported::describe).isZero();
            target.django().verdict("check-fieldtypes", "--expected", source.dump().toString());
            return;
        }
        assertRefusedAndUnchanged(source, source(to, VARIANT, null), TABLE + "." + refused);
    }

    /**
     * A replace into a database Django filled (the target engine's source of the nine moves, whose backup and dump
     * are taken already) is refused (exit 5, naming the column), and Django sees the database as it was.
     */
    static void assertRefusedAndUnchanged(Source source, Source target, String column) {
        Finished imported = jar(target.db(), "import", source.backup(), "--mode", "replace", "--yes");

        assertThat(imported.exitCode()).as(imported::describe).isEqualTo(5);
        assertThat(imported.stderr()).as(imported::describe).contains(column);
        target.db().django().verdict("check-fieldtypes", "--expected", target.dump().toString());
    }

    /** PostgreSQL's own types (arrays, hstore, citext, ranges): exact PostgreSQL to PostgreSQL, with every other field. */
    @Test
    void postgresOnlyTypes_postgresToPostgres_exact() {
        Source source = source(Engine.POSTGRESQL, "pgfieldtypes", null);
        Db target = fresh(Engine.POSTGRESQL, "pgfieldtypes");

        Finished imported = jar(target, "import", source.backup(), "--yes");

        assertThat(imported.exitCode()).as(imported::describe).isZero();
        Finished verdict = target.django().verdict("check-fieldtypes", "--expected", source.dump().toString());
        assertThat(verdict.factLong("checked_users")).isEqualTo(8);
    }

    /**
     * The same backup into SQLite or MariaDB, which have no such types (nor can Django migrate the variant there):
     * refused before writing, naming the first such column, by a database of the {@code fieldtypes} variant.
     */
    @ParameterizedTest
    @MethodSource("otherEngines")
    void postgresOnlyTypes_toAnotherEngine_refusedNamingTheColumn(Engine to) {
        assertRefusedAndUnchanged(source(Engine.POSTGRESQL, "pgfieldtypes", null), source(to, VARIANT, null),
                "pgfieldtypes_user.tags");
    }

    static Stream<Engine> otherEngines() {
        return Stream.of(Engine.SQLITE, Engine.MARIADB);
    }
}
