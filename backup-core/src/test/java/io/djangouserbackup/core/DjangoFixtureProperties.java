package io.djangouserbackup.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Properties of {@link DjangoFixture}. */
class DjangoFixtureProperties {

    private static final List<String> PERMISSIONS = List.of("auth.user.add_user", "auth.user.view_user",
            "auth.group.change_group", "auth.permission.view_permission", "contenttypes.contenttype.view_contenttype",
            "chat.openaimodel.change_openaimodel", "chat.openaimodel.delete_openaimodel");

    record UserSpec(String username, String password, boolean staff, boolean active, long joinedMicros,
                    List<Integer> groups, List<String> permissions, String firstName) {
    }

    record ModelSpec(String description, int maxTokens, String temperature, boolean enabled, List<Integer> users) {
    }

    record FixtureSpec(List<List<String>> groups, List<UserSpec> users, List<ModelSpec> models) {
    }

    /**
     * builderThenRestoreThenExportIsIdentity: a fixture restored (replace mode) into an empty Django database and
     * exported again is the same document, but for its date and digest.
     */
    @Property(tries = 15)
    void builderThenRestoreThenExportIsIdentity(@ForAll("fixtures") FixtureSpec spec) throws Exception {
        DjangoFixture fixture = build(spec);
        Path dir = Files.createTempDirectory("fixture-property");
        try {
            DjangoDatabase target = DjangoSchema.authAndOpenAiModels().createSqlite(dir.resolve("t.sqlite3"));
            fixture.restoreInto(target);
            JsonNode expected = new ObjectMapper().readTree(fixture.bytes());
            assertThat(DjangoFixtureTest.withoutDate(DjangoFixtureTest.export(target)))
                    .isEqualTo(DjangoFixtureTest.withoutDate(expected));
            assertThat(expected.get("users")).hasSize(spec.users().size());
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static DjangoFixture build(FixtureSpec spec) {
        DjangoFixture.Builder builder = DjangoFixture.builder()
                .passwordHasher(DjangoPasswordHasher.newest().withIterations(1));
        for (int g = 0; g < spec.groups().size(); g++) {
            builder.group("group " + g, spec.groups().get(g).toArray(String[]::new));
        }
        List<String> usernames = new ArrayList<>();
        for (UserSpec user : spec.users()) {
            usernames.add(user.username());
            builder.user(user.username(), user.password(), u -> {
                if (user.staff()) {
                    u.staff();
                }
                if (!user.active()) {
                    u.inactive();
                }
                u.name(user.firstName(), "").dateJoined(Instant.ofEpochSecond(0, user.joinedMicros() * 1000));
                user.groups().stream().filter(g -> g < spec.groups().size()).forEach(g -> u.groups("group " + g));
                u.permissions(user.permissions().toArray(String[]::new));
            });
        }
        for (int m = 0; m < spec.models().size(); m++) {
            ModelSpec model = spec.models().get(m);
            builder.openAiModel("model " + m, o -> {
                o.description(model.description()).maxTokens(model.maxTokens()).temperature(model.temperature());
                if (!model.enabled()) {
                    o.disabled();
                }
                model.users().stream().filter(u -> u < usernames.size()).forEach(u -> o.users(usernames.get(u)));
            });
        }
        return builder.build();
    }

    @Provide
    Arbitrary<FixtureSpec> fixtures() {
        Arbitrary<List<String>> permissionSets = Arbitraries.of(PERMISSIONS).list().uniqueElements().ofMaxSize(4);
        Arbitrary<String> text = Arbitraries.strings().withCharRange(' ', '~').withChars("äé\u00e9\u4e2d\n").ofMaxLength(12);
        Arbitrary<UserSpec> users = Combinators.combine(
                Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(20),
                Arbitraries.oneOf(text, Arbitraries.just(null)),
                Arbitraries.of(true, false), Arbitraries.of(true, false),
                Arbitraries.longs().between(0, 4_000_000_000_000_000L),
                Arbitraries.integers().between(0, 3).list().uniqueElements().ofMaxSize(3),
                permissionSets, text.map(String::strip)).as(UserSpec::new);
        Arbitrary<ModelSpec> models = Combinators.combine(text, Arbitraries.integers().between(1, 1_000_000),
                Arbitraries.bigDecimals().between(java.math.BigDecimal.ZERO, new java.math.BigDecimal("99.99")).ofScale(2)
                        .map(java.math.BigDecimal::toPlainString),
                Arbitraries.of(true, false), Arbitraries.integers().between(0, 6).list().uniqueElements().ofMaxSize(4))
                .as(ModelSpec::new);
        return Combinators.combine(permissionSets.list().ofMaxSize(4),
                users.list().ofMaxSize(6).uniqueElements(UserSpec::username), models.list().ofMaxSize(3))
                .as(FixtureSpec::new);
    }
}
