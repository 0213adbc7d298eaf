package io.djangouserbackup.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.djangouserbackup.model.Sections;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DatabaseUrlsTest {
    @TempDir
    Path dir;

    @Test
    void threeSlashesMakeAPathRelativeToTheWorkingDirectory() {
        assertThat(DatabaseUrls.parse("sqlite:///db.sqlite3", dir).description())
                .isEqualTo("jdbc:sqlite:" + dir.resolve("db.sqlite3"));
        assertThat(DatabaseUrls.parse("sqlite:///data/db.sqlite3", dir).description())
                .isEqualTo("jdbc:sqlite:" + dir.resolve("data/db.sqlite3"));
    }

    @Test
    void withoutAWorkingDirectoryARelativePathStaysRelative() {
        assertThat(DatabaseUrls.parse("sqlite:///db.sqlite3").description()).isEqualTo("jdbc:sqlite:db.sqlite3");
    }

    @Test
    void fourSlashesMakeAnAbsolutePath() {
        assertThat(DatabaseUrls.parse("sqlite:////srv/app/db.sqlite3", dir).description())
                .isEqualTo("jdbc:sqlite:/srv/app/db.sqlite3");
    }

    @Test
    void thePathIsPercentDecodedAndQueryAndFragmentAreNotPartOfIt() {
        assertThat(DatabaseUrls.parse("sqlite:////srv/my%20app/z%C3%B6e+1.sqlite3?timeout=20#top", dir).description())
                .isEqualTo("jdbc:sqlite:/srv/my app/zöe+1.sqlite3");
    }

    @Test
    void aHostIsIgnoredAsInDjDatabaseUrl() {
        assertThat(DatabaseUrls.parse("sqlite://localhost/db.sqlite3", dir).description())
                .isEqualTo("jdbc:sqlite:" + dir.resolve("db.sqlite3"));
    }

    @Test
    void schemeIsCaseInsensitive() {
        assertThat(DatabaseUrls.parse("SQLite:////tmp/db.sqlite3").description()).isEqualTo("jdbc:sqlite:/tmp/db.sqlite3");
    }

    @Test
    void jdbcUrlsAreHandedToDjangoDatabase() {
        assertThat(DatabaseUrls.parse("jdbc:sqlite:/tmp/db.sqlite3", dir).description()).isEqualTo("jdbc:sqlite:/tmp/db.sqlite3");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite://", "sqlite://:memory:", "sqlite:///:memory:", "sqlite://db.sqlite3"})
    void inMemoryDatabasesAreRefused(String url) {
        assertThatThrownBy(() -> DatabaseUrls.parse(url, dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("in-memory");
    }

    @ParameterizedTest
    @ValueSource(strings = {"oracle://u:s3cret@h/app", "mssql://u:s3cret@h/app", "mongodb://u:s3cret@h/app"})
    void otherDjangoEnginesAreNotSupportedAndTheirPasswordIsNeverShown(String url) {
        assertThatThrownBy(() -> DatabaseUrls.parse(url, dir))
                .isInstanceOf(IncompatibleDatabaseException.class)
                .hasMessageContaining("not supported")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void jdbcUrlsOfOtherEnginesAreNotSupportedAndTheirPasswordIsNeverShown() {
        assertThatThrownBy(() -> DatabaseUrls.parse("jdbc:oracle:thin:u/s3cret@h:1521/app?password=s3cret", dir))
                .isInstanceOf(IncompatibleDatabaseException.class)
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void mysqlUrlsBecomeMariaDbJdbcUrlsWithCredentialsApart() {
        DjangoDatabase db = DatabaseUrls.parse("mysql://django:s3cret@db.example.com:3307/app?sslMode=verify-full", dir);

        assertThat(db.description()).isEqualTo("jdbc:mariadb://db.example.com:3307/app?sslMode=verify-full");
        assertThat(db.user()).isEqualTo("django");
        assertThat(db.password()).isEqualTo("s3cret");
        assertThat(db.isServer()).isTrue();
        assertThat(db.passwordVariable()).isEqualTo("MYSQL_PWD");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "mysql://u@h/app|jdbc:mariadb://h:3306/app|u|",
            "mysql2://h/app|jdbc:mariadb://h:3306/app||",
            "mariadb://u:p%40ss%3Aw%2Frd@/app|jdbc:mariadb://localhost:3306/app|u|p@ss:w/rd",
            "mysql-connector://u:pw@[::1]:3307/my%20app|jdbc:mariadb://[::1]:3307/my%20app|u|pw",
            "mysqlgis://u:pw@h/geo|jdbc:mariadb://h:3306/geo|u|pw"})
    void mysqlUrlsAreReadAsDjangoReadsThem(String url, String jdbc, String user, String password) {
        DjangoDatabase db = DatabaseUrls.parse(url, dir);

        assertThat(db.description()).isEqualTo(jdbc);
        assertThat(db.user()).isEqualTo(user);
        assertThat(db.password()).isEqualTo(password);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql://u:s3cret@h", "mysql://u:s3cret@h/", "mysql://u:s3cret@%2Fvar%2Frun%2Fmysqld%2Fmysqld.sock/app",
            "mysql://u:s3cret@h:port/app"})
    void mysqlUrlsWithoutDatabaseOrTcpHostAreRefusedWithoutShowingThePassword(String url) {
        assertThatThrownBy(() -> DatabaseUrls.parse(url, dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mysql")
                .hasMessageNotContaining("s3cret");
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdbc:mariadb://h/app?user=u&password=s3cret", "jdbc:mysql://h/app?user=u&password=s3cret"})
    void jdbcMysqlUrlsAreServersAndHideTheirPassword(String url) {
        DjangoDatabase db = DatabaseUrls.parse(url, dir);

        assertThat(db.description()).isEqualTo(url.replace("s3cret", "***"));
        assertThat(db.isServer()).isTrue();
        assertThat(db.hasPassword()).isTrue();
    }

    @Test
    void postgresUrlsBecomeJdbcUrlsWithCredentialsApart() {
        DjangoDatabase db = DatabaseUrls.parse("postgres://django:s3cret@db.example.com:6543/app?sslmode=require", dir);

        assertThat(db.description()).isEqualTo("jdbc:postgresql://db.example.com:6543/app?sslmode=require");
        assertThat(db.user()).isEqualTo("django");
        assertThat(db.password()).isEqualTo("s3cret");
        assertThat(db.isServer()).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "postgresql://u@h/app|jdbc:postgresql://h:5432/app|u|",
            "pgsql://h/app|jdbc:postgresql://h:5432/app||",
            "postgres://u:p%40ss%3Aw%2Frd@/app|jdbc:postgresql://localhost:5432/app|u|p@ss:w/rd",
            "postgres://u:pw@[::1]:5433/my%20app|jdbc:postgresql://[::1]:5433/my%20app|u|pw"})
    void postgresUrlsAreReadAsDjangoReadsThem(String url, String jdbc, String user, String password) {
        DjangoDatabase db = DatabaseUrls.parse(url, dir);

        assertThat(db.description()).isEqualTo(jdbc);
        assertThat(db.user()).isEqualTo(user);
        assertThat(db.password()).isEqualTo(password);
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres://u:s3cret@h", "postgres://u:s3cret@h/", "postgres://u:s3cret@%2Fvar%2Frun%2Fpostgresql/app",
            "postgres://u:s3cret@h:port/app"})
    void postgresUrlsWithoutDatabaseOrTcpHostAreRefusedWithoutShowingThePassword(String url) {
        assertThatThrownBy(() -> DatabaseUrls.parse(url, dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void jdbcPostgresUrlsHideTheirPassword() {
        assertThat(DatabaseUrls.parse("jdbc:postgresql://h/app?user=u&password=s3cret", dir).description())
                .isEqualTo("jdbc:postgresql://h/app?user=u&password=***");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "db.sqlite3", "/srv/db.sqlite3", "sqlite:db.sqlite3", "sqlit:///db.sqlite3",
            "http://u:s3cret@example.com/db"})
    void malformedOrUnknownUrlsAreRefusedWithoutShowingThem(String url) {
        assertThatThrownBy(() -> DatabaseUrls.parse(url, dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("s3cret");
    }

    @ParameterizedTest
    @ValueSource(strings = {"timeout=soon", "timeout=-1", "timeout=NaN", "timeout="})
    void aTimeoutOptionMustBeSeconds(String query) {
        assertThatThrownBy(() -> DatabaseUrls.parse("sqlite:///db.sqlite3?" + query, dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("timeout");
    }

    @Test
    void theParsedDatabaseIsTheFileItNames() {
        Path file = TestDatabases.create(dir, "db.sqlite3", TestDatabases.AUTH_USER);
        TestDatabases.insertUser(file, 1, "alice", "pbkdf2_sha256$260000$salt$hash=");

        ExportResult result = Exporter.of(DatabaseUrls.parse("sqlite:///db.sqlite3?timeout=2.5&check_same_thread=false", dir))
                .exportTo(new ByteArrayOutputStream());

        assertThat(result.rows(Sections.USERS)).isEqualTo(1);
    }
}
