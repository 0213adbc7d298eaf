package io.djangouserbackup.cli;

import static io.djangouserbackup.cli.Fixtures.assertExit;
import static io.djangouserbackup.cli.Fixtures.assertOneErrorLine;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 13: {@code export --format django}, Django's JSON fixture, to a file or standard output, and its refusals. */
class ExportDjangoFormat13Test {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    @TempDir
    Path temp;

    private Cli cli() {
        return new Cli(dir, temp);
    }

    private static List<String> usernames(JsonNode fixture) {
        List<String> usernames = new ArrayList<>();
        fixture.forEach(o -> {
            if (o.get("model").asText().equals("auth.user")) {
                usernames.add(o.at("/fields/username").asText());
            }
        });
        return usernames;
    }

    @Test
    void writesAFixtureFileReadableByItsOwnerOnly() throws IOException {
        Path db = Fixtures.djangoDatabase(dir, "app.sqlite3");

        Cli.Result result = cli().run("export", "--db", db.toString(), "--format", "django", "users.json");

        assertExit(result, 0);
        Path fixture = dir.resolve("users.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fixture))).isEqualTo("rw-------");
        assertThat(usernames(JSON.readTree(fixture.toFile()))).containsExactly("alice", "bob");
        assertThat(result.out()).startsWith("Exported 2 users, 2 groups, ").contains(" to users.json (");
    }

    @Test
    void writesToStandardOutput() throws IOException {
        Path db = Fixtures.djangoDatabase(dir, "app.sqlite3");

        Cli.Result result = cli().run("export", "--db", db.toString(), "--format=django", "--user", "bob", "-");

        assertExit(result, 0);
        assertThat(usernames(JSON.readTree(result.stdout()))).containsExactly("bob");
    }

    @Test
    void refusesAnUnknownFormatAndEncryption() {
        Path db = Fixtures.djangoDatabase(dir, "app.sqlite3");

        Cli.Result unknown = cli().run("export", "--db", db.toString(), "--format", "xml", "out.json");
        assertExit(unknown, 2);
        assertOneErrorLine(unknown, "--format takes backup or django, not xml");

        Cli.Result encrypted = cli().run("export", "--db", db.toString(), "--format", "django", "--encrypt", "out.json");
        assertExit(encrypted, 2);
        assertOneErrorLine(encrypted, "--format django does not go with --encrypt");
        assertThat(dir.resolve("out.json")).doesNotExist();
    }
}
