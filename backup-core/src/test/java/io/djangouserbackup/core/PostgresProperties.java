package io.djangouserbackup.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.djangouserbackup.core.internal.SafeFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/** Cross-engine invariants over generated user data: SQLite and a real PostgreSQL, both migrated by Django. */
class PostgresProperties {
    private Path dir;
    private int counter;

    @BeforeProperty
    void createFolder() throws IOException {
        PostgresServer.SERVER.require();
        dir = Files.createTempDirectory("dub-pg-properties");
    }

    @AfterProperty
    void deleteFolder() throws IOException {
        SafeFiles.deleteTree(dir);
    }

    @Provide
    Arbitrary<UserData> userData() {
        return UserDataArbitraries.userData();
    }

    /**
     * SQLite → PostgreSQL → SQLite is the identity, for any user data Django can store: unicode and control
     * characters, NULLs, timestamps from year 1 to 9999 with and without microseconds, decimals. PostgreSQL
     * exports the same JSON value as SQLite did, and SQLite restored from PostgreSQL's backup exports the
     * original document byte for byte.
     */
    @Property(tries = 25)
    void sqliteToPostgresToSqliteIsIdentity(@ForAll("userData") UserData data) {
        Path source = TestDatabases.create(dir, "source" + counter + ".sqlite3", TestDatabases.AUTH_USER);
        data.insertInto(source);
        String fromSqlite = ServerRoundTripTest.export(DjangoDatabase.sqlite(source));
        ServerDatabase postgres = PostgresServer.SERVER.create("default");

        ServerRoundTripTest.importInto(postgres.django(), fromSqlite, ImportMode.MERGE);
        String fromPostgres = ServerRoundTripTest.export(postgres.django());
        Path back = TestDatabases.create(dir, "back" + (counter++) + ".sqlite3", TestDatabases.AUTH_USER);
        ServerRoundTripTest.importInto(DjangoDatabase.sqlite(back), fromPostgres, ImportMode.MERGE);

        postgres.drop();
        ServerRoundTripTest.assertSameDocument(fromPostgres, fromSqlite);
        assertThat(ServerRoundTripTest.export(DjangoDatabase.sqlite(back))).isEqualTo(fromSqlite);
    }
}
