package io.djangouserbackup.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link DjangoFixture}: the document an export makes, and real Django accepts what it restores. */
class DjangoFixtureTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static DjangoFixture.Builder sample(DjangoPasswordHasher hasher) {
        return DjangoFixture.builder()
                .passwordHasher(hasher)
                .group("editors", "chat.openaimodel.change_openaimodel", "auth.user.view_user")
                .group("billing", "auth.group.view_group")
                .user("alice", "s3cret", user -> user.superuser().staff().name("Alice", "Anderson")
                        .email("alice@example.com").groups("editors").lastLogin(Instant.parse("2024-05-01T09:30:15.123456Z")))
                .user("bob", "pässwörd", user -> user.groups("editors", "billing").permissions("auth.group.add_group"))
                .user("carol", null, user -> user.inactive().permissions("chat.openaimodel.view_openaimodel"))
                .user("dave", "s3cret", user -> user.id(10))
                .openAiModel("gpt-4o", model -> model.description("Flagship.\nMultimodal.").maxTokens(4096)
                        .temperature("0.7").users("alice", "bob"))
                .openAiModel("gpt-4o-mini", model -> model.disabled().temperature("1.25").users("dave"));
    }

    @Test
    void aFixtureIsASealedExportThatVerifiesAndRestores() throws IOException {
        DjangoFixture fixture = sample(DjangoPasswordHasher.newest().withIterations(1000))
                .clock(Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC)).build();
        VerifyResult verified = Verifier.standard().verify(fixture.source());
        assertThat(verified.rows("users")).isEqualTo(4);
        assertThat(verified.rows("groups")).isEqualTo(2);
        assertThat(verified.rows("openai_models")).isEqualTo(2);
        assertThat(verified.rows("permissions")).isEqualTo(20);
        assertThat(fixture.toString()).doesNotContain("pbkdf2");

        JsonNode document = JSON.readTree(fixture.bytes());
        assertThat(document.get("export_date").asText()).isEqualTo("2026-01-02T03:04:05.000000Z");
        JsonNode alice = document.get("users").get(0);
        assertThat(alice.get("username").asText()).isEqualTo("alice");
        assertThat(DjangoPasswordHasher.newest().verify("s3cret", alice.get("password").asText())).isTrue();
        assertThat(alice.get("last_login").asText()).isEqualTo("2024-05-01 09:30:15.123456");
        assertThat(alice.get("date_joined").asText()).isEqualTo("2024-01-01 00:00:00");
        assertThat(document.get("users").get(2).get("password").asText()).matches("![a-zA-Z0-9]{40}");
        assertThat(document.get("users").get(3).get("id").asLong()).isEqualTo(10);

        Path gz = fixture.writeTo(dir.resolve("fixture.json.gz"));
        try (var in = new GZIPInputStream(Files.newInputStream(gz))) {
            assertThat(in.readAllBytes()).isEqualTo(fixture.bytes());
        }
        Path plain = fixture.writeTo(dir.resolve("fixture.json"));
        assertThat(Files.readAllBytes(plain)).isEqualTo(fixture.bytes());

        DjangoDatabase target = DjangoSchema.authAndOpenAiModels().createSqlite(dir.resolve("target.sqlite3"));
        fixture.restoreInto(target);
        assertThat(withoutDate(export(target))).isEqualTo(withoutDate(document));
    }

    @Test
    void aPermissionOfAnotherAppRestoresWhereItsContentTypeExists() throws IOException {
        DjangoFixture fixture = DjangoFixture.builder()
                .permission("billing.invoice.refund_invoice", "Can refund invoice")
                .group("billing", "billing.invoice.refund_invoice").build();
        JsonNode document = JSON.readTree(fixture.bytes());
        assertThat(document.get("groups").get(0).get("permissions").get(0).get("app_label").asText()).isEqualTo("billing");
        DjangoDatabase target = DjangoSchema.authAndOpenAiModels()
                .withSql("INSERT INTO django_content_type (app_label, model) VALUES ('billing', 'invoice');")
                .createSqlite(dir.resolve("billing.sqlite3"));
        fixture.restoreInto(target);
        assertThat(withoutDate(export(target))).isEqualTo(withoutDate(document));
    }

    @Test
    void unknownNamesAreRefusedWithTheirPlace() {
        assertThatThrownBy(() -> DjangoFixture.builder().group("g", "auth.user.fly").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("group g: no permission auth.user.fly");
        assertThatThrownBy(() -> DjangoFixture.builder().user("u", null, user -> user.groups("nope")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("user u: no group nope");
        assertThatThrownBy(() -> DjangoFixture.builder().openAiModel("m", model -> model.users("ghost")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("OpenAI model m: no user ghost");
        assertThatThrownBy(() -> DjangoFixture.builder().user("a", null).user("b", null, user -> user.id(1)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("same id");
        assertThatThrownBy(() -> DjangoFixture.builder().group("g", "auth.user"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DjangoFixture.builder().openAiModel("m", model -> model.temperature("123.4")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DecimalField(4, 2)");
    }

    /**
     * A fixture restored into a database that real Django migrated (the interop project, all its apps): every
     * password verifies with Django's {@code check_password} (hashes at Django 5.2's and 4.2's counts), unusable
     * stays unusable, {@code get_all_permissions()} and the groups are as built, inactive stays inactive.
     */
    @Test
    void djangoAcceptsARestoredFixture() throws Exception {
        DjangoFixture newest = sample(DjangoPasswordHasher.newest()).build();
        Path db = dir.resolve("django.sqlite3");
        python(db, List.of(DatabaseServer.djangoProject().resolve("manage.py").toString(), "migrate", "-v", "0"));
        newest.restoreInto(DjangoDatabase.sqlite(db));
        Path expected = dir.resolve("expected.json");
        Files.writeString(expected, """
                {"alice": {"password": "s3cret", "active": true, "superuser": true, "groups": ["editors"],
                           "perms": "*"},
                 "bob": {"password": "pässwörd", "active": true, "superuser": false, "groups": ["billing", "editors"],
                         "perms": ["auth.add_group", "auth.view_group", "auth.view_user", "chat.change_openaimodel"]},
                 "carol": {"password": null, "active": false, "superuser": false, "groups": [],
                           "perms": ["chat.view_openaimodel"]},
                 "dave": {"password": "s3cret", "active": true, "superuser": false, "groups": [], "perms": [],
                          "models": ["gpt-4o-mini"]}}
                """, StandardCharsets.UTF_8);
        String verdict = python(db, List.of("-c", """
                import json, sys, django
                django.setup()
                from django.contrib.auth import get_user_model
                from django.contrib.auth.hashers import check_password
                from chat.models import OpenAIModel
                expected = json.load(open(sys.argv[1], encoding='utf-8'))
                problems = []
                for name, e in expected.items():
                    u = get_user_model().objects.get(username=name)
                    if e['password'] is None:
                        if u.has_usable_password(): problems.append(name + ': usable password')
                    elif not check_password(e['password'], u.password): problems.append(name + ': password does not verify')
                    if check_password(str(e['password']) + 'x', u.password): problems.append(name + ': wrong password verifies')
                    if u.is_active != e['active']: problems.append(name + ': is_active')
                    if u.is_superuser != e['superuser']: problems.append(name + ': is_superuser')
                    if sorted(g.name for g in u.groups.all()) != e['groups']: problems.append(name + ': groups')
                    u.is_active = True  # get_all_permissions() is empty for inactive users; compare what is stored
                    perms = sorted(u.get_all_permissions())
                    from django.contrib.auth.models import Permission
                    want = sorted('%s.%s' % (p.content_type.app_label, p.codename) for p in Permission.objects.all()) \\
                        if e['perms'] == '*' else e['perms']
                    if perms != want: problems.append(name + ': permissions ' + repr(perms))
                    if 'models' in e and sorted(m.name for m in u.openai_models.all()) != e['models']:
                        problems.append(name + ': models')
                print('ok' if not problems else '; '.join(problems))
                """, expected.toString()));
        assertThat(verdict.trim()).isEqualTo("ok");

        // A hash at Django 4.2's count, in a merge into the same database: Django verifies it too.
        DjangoFixture.builder().passwordHasher(DjangoPasswordHasher.forDjango("4.2"))
                .user("erin", "four-two", user -> user.id(50)).build().restoreInto(DjangoDatabase.sqlite(db), ImportMode.MERGE);
        Files.writeString(expected, "{\"erin\": \"four-two\"}");
        assertThat(python(db, List.of("-c", """
                import json, sys, django
                django.setup()
                from django.contrib.auth import get_user_model
                e = json.load(open(sys.argv[1], encoding='utf-8'))
                u = get_user_model().objects.get(username='erin')
                from django.contrib.auth.hashers import check_password
                print(u.password.split('$')[1] == '600000' and check_password(e['erin'], u.password))
                """, expected.toString())).trim()).isEqualTo("True");
    }

    static JsonNode export(DjangoDatabase database) throws IOException {
        var out = new java.io.ByteArrayOutputStream();
        Exporter.of(database).exportTo(out);
        return JSON.readTree(out.toByteArray());
    }

    static JsonNode withoutDate(JsonNode document) {
        ObjectNode copy = document.deepCopy();
        copy.remove("export_date");
        copy.remove("sha256");
        return copy;
    }

    private String python(Path db, List<String> arguments) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>();
        command.add(DatabaseServer.PYTHON.toString());
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).directory(DatabaseServer.djangoProject().toFile());
        builder.environment().remove("DJANGO_DB_URL");
        builder.environment().put("DJANGO_DB_PATH", db.toString());
        builder.environment().put("DJANGO_SETTINGS_MODULE", "site_settings.settings");
        builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        Path err = Files.createTempFile(dir, "err", ".txt");
        builder.redirectError(err.toFile());
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(3, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as("Django: %s", Files.readString(err)).isZero();
        return out;
    }
}
