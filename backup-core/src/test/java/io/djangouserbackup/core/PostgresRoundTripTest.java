package io.djangouserbackup.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.djangouserbackup.core.mappers.ModelTableMapper;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** The round trips of {@link ServerRoundTripTest} on PostgreSQL, and what PostgreSQL stores in its own types. */
class PostgresRoundTripTest extends ServerRoundTripTest {

    @Override
    DatabaseServer server() {
        return PostgresServer.SERVER;
    }

    /** PostgreSQL stores the backup's values in its own types: instants, booleans, numerics with their scale. */
    @Test
    void postgresHoldsNativeValues() throws Exception {
        ServerDatabase postgres = PostgresServer.SERVER.create("default");
        importInto(postgres.django(), export(DjangoDatabase.sqlite(source())), ImportMode.MERGE);

        try (Connection connection = postgres.connect(); Statement statement = connection.createStatement()) {
            statement.execute("SET TIME ZONE 'America/New_York'");
            try (ResultSet rs = statement.executeQuery("SELECT last_login AT TIME ZONE 'UTC', is_staff, pg_typeof(is_staff)::text"
                    + " FROM auth_user WHERE id = 1")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("2023-01-02 03:04:05.000001");
                assertThat(rs.getBoolean(2)).isFalse();
                assertThat(rs.getString(3)).isEqualTo("boolean");
            }
            try (ResultSet rs = statement.executeQuery("SELECT temperature::text FROM chat_openaimodel ORDER BY id")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("0.70");
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("1.00");
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("0.05");
            }
        }
        // An export does not depend on the session's time zone: it reads instants and writes them in UTC.
        assertThat(export(postgres.django())).contains("\"last_login\":\"2023-01-02 03:04:05.000001\"");
    }

    @Override
    void assertCustomColumnsNative(ServerDatabase postgres) throws Exception {
        try (Connection connection = postgres.connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT external_id::text, balance::text, birth_date::text, pg_typeof(external_id)::text"
                     + " FROM accounts_user WHERE id = 4")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("c3d4e5f6-a7b8-4c9d-8e0f-112233445566");
            assertThat(rs.getString(2)).isEqualTo("1234.50");
            assertThat(rs.getString(3)).isEqualTo("1990-02-28");
            assertThat(rs.getString(4)).isEqualTo("uuid");
        }
    }

    /** An export's transaction is one snapshot that cannot write: REPEATABLE READ, READ ONLY. */
    @Test
    void anExportReadsOneReadOnlySnapshot() {
        ServerDatabase postgres = PostgresServer.SERVER.create("default");
        DjangoDatabase db = postgres.django();
        try (org.jdbi.v3.core.Handle handle = db.open(true)) {
            db.dialect().beginSnapshot(handle);
            assertThat(handle.createQuery("SHOW transaction_isolation").mapTo(String.class).one()).isEqualTo("repeatable read");
            assertThat(handle.createQuery("SHOW transaction_read_only").mapTo(String.class).one()).isEqualTo("on");
            assertThat(handle.createQuery("SHOW TIME ZONE").mapTo(String.class).one()).isEqualTo("UTC");
            handle.rollback();
        }
    }

    /**
     * PostgreSQL's own types of {@code django.contrib.postgres} come back exactly PostgreSQL to PostgreSQL. An hstore
     * was exported as the driver's {@code Map.toString()} ({@code {k=v, none=null}}: no quotes, no NULL), which
     * PostgreSQL refused to read back ({@code Syntax error near "ü"}) or would have read as other pairs; found by
     * {@code FieldTypesInteropIT.postgresOnlyTypes_postgresToPostgres_exact}.
     */
    @Test
    void postgresOwnTypesComeBackExactly() throws Exception {
        ServerDatabase source = PostgresServer.SERVER.create("default");
        ServerDatabase target = PostgresServer.SERVER.create("default");
        String columns = "id integer PRIMARY KEY, pairs hstore, tags varchar(40)[], matrix bigint[][], ages int4range,"
                + " amounts numrange, period tstzrange";
        for (ServerDatabase db : new ServerDatabase[] {source, target}) {
            db.execute("CREATE EXTENSION IF NOT EXISTS hstore");
            db.execute("CREATE TABLE dub_own_types (" + columns + ")");
        }
        source.execute("INSERT INTO dub_own_types VALUES (1, '\"k\"=>\"v\", \"none\"=>NULL, \"null\"=>\"NULL\", \"a=>b\"=>\"c, d\","
                + " \"\"=>\"\", \"\uD83C\uDF89 \\\"q\\\"\"=>\"\u00fc\"', '{\"\",\"a,b\",\"{x}\",NULL,\"NULL\"}',"
                + " '{{9223372036854775807,-9223372036854775808},{0,1}}', '[-2147483648,2147483647)',"
                + " '(-12345678901234567890.1234567890,0.000000000000000000000000000001]', '[\"0001-01-01 00:00:00+00\",)'),"
                + " (2, '', '{}', '{}', 'empty', '(,)', NULL)");
        ModelTableMapper values = new ModelTableMapper("values", "dub_own_types");
        importInto(target.django().withMapper(values), export(source.django().withMapper(values)), ImportMode.MERGE);

        String read = "SELECT id, pairs::text, tags::text, matrix::text, ages::text, amounts::text, period::text FROM dub_own_types ORDER BY id";
        assertThat(target.queryString("SELECT string_agg(t::text, ' | ') FROM (" + read + ") t"))
                .isEqualTo(source.queryString("SELECT string_agg(t::text, ' | ') FROM (" + read + ") t"))
                .contains("\"\"none\"\"=>NULL");
    }
}
