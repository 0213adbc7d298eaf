package io.djangouserbackup.core;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** jqwik generators for {@link UserData}: unicode, NULLs, edge timestamps, strings at column limits, random links. */
final class UserDataArbitraries {
    private UserDataArbitraries() {
    }

    /** Text of up to {@code max} code points: ASCII, quotes, backslashes, control characters, accents, CJK, emoji. */
    static Arbitrary<String> text(int min, int max) {
        Arbitrary<String> codePoint = Arbitraries.oneOf(
                Arbitraries.chars().range('a', 'z').map(String::valueOf),
                Arbitraries.of("\"", "'", "\\", "/", " ", "\t", "\n", "\r", "\u0001", "\u001f", "\u007f", "<", "&"),
                Arbitraries.chars().range('\u00c0', '\u024f').map(String::valueOf),
                Arbitraries.chars().range('\u4e00', '\u9fff').map(String::valueOf),
                Arbitraries.integers().between(0x1F300, 0x1FAFF).map(Character::toString),
                Arbitraries.of("\u200d", "\ufeff", "\u2028"));
        return codePoint.list().ofMinSize(min).ofMaxSize(max).map(parts -> String.join("", parts));
    }

    /** A timestamp as Django stores it in SQLite: microseconds, or no fraction when they are zero. */
    static Arbitrary<String> timestamp() {
        Arbitrary<String> ordinary = Combinators.combine(
                Arbitraries.integers().between(1, 9999), Arbitraries.integers().between(1, 12),
                Arbitraries.integers().between(1, 28), Arbitraries.integers().between(0, 23),
                Arbitraries.integers().between(0, 59), Arbitraries.integers().between(0, 59),
                Arbitraries.oneOf(Arbitraries.just(0), Arbitraries.integers().between(0, 999_999)))
                .as((y, mo, d, h, mi, s, micros) -> String.format("%04d-%02d-%02d %02d:%02d:%02d", y, mo, d, h, mi, s)
                        + (micros == 0 ? "" : String.format(".%06d", micros)));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, ordinary),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("0001-01-01 00:00:00", "9999-12-31 23:59:59.999999",
                        "2000-02-29 12:00:00.000001", "1970-01-01 00:00:00")));
    }

    static Arbitrary<UserData> userData() {
        Arbitrary<List<String>> groupNames = text(1, 150).set().ofMaxSize(4).map(ArrayList::new);
        return groupNames.flatMap(names -> {
            Arbitrary<List<String>> groupPermissions = Arbitraries.of(UserData.CODENAMES).set().ofMaxSize(3).map(ArrayList::new);
            return groupPermissions.list().ofSize(names.size()).flatMap(permissionLists -> {
                List<UserData.Group> groups = new ArrayList<>();
                for (int i = 0; i < names.size(); i++) {
                    groups.add(new UserData.Group(i * 3L + 2, names.get(i), permissionLists.get(i)));
                }
                return users(names).flatMap(users -> models(users).map(models -> new UserData(users, groups, models)));
            });
        });
    }

    private static Arbitrary<List<UserData.User>> users(List<String> groupNames) {
        Arbitrary<UserData.User> user = Combinators.combine(
                Arbitraries.longs().between(1, 1_000_000),
                text(1, 150),
                Arbitraries.oneOf(text(0, 128), Arbitraries.just("pbkdf2_sha256$260000$abc$" + "x".repeat(44)), Arbitraries.just("!")),
                text(0, 254),
                Combinators.combine(text(0, 150), text(0, 150)).as(List::of),
                Combinators.combine(timestamp().injectNull(0.3), timestamp()).as((a, b) -> new String[] {a, b}),
                Arbitraries.of(true, false).list().ofSize(3),
                Combinators.combine(
                        groupNames.isEmpty() ? Arbitraries.just(List.<String>of()) : Arbitraries.of(groupNames).set().map(s -> (List<String>) new ArrayList<>(s)),
                        Arbitraries.of(UserData.CODENAMES).set().ofMaxSize(3).map(s -> (List<String>) new ArrayList<>(s))).as(List::of))
                .as((id, username, password, email, names, times, flags, links) -> new UserData.User(id, username, password,
                        email, names.get(0), names.get(1), times[0], times[1], flags.get(0), flags.get(1), flags.get(2),
                        links.get(0), links.get(1)));
        return user.list().ofMaxSize(8).uniqueElements(UserData.User::id).uniqueElements(UserData.User::username);
    }

    private static Arbitrary<List<UserData.Model>> models(List<UserData.User> users) {
        List<Long> ids = users.stream().map(UserData.User::id).toList();
        Arbitrary<List<Long>> assigned = ids.isEmpty() ? Arbitraries.just(List.of())
                : Arbitraries.of(ids).set().map(s -> (List<Long>) new ArrayList<>(new LinkedHashSet<>(s)));
        Arbitrary<Object> temperature = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 200).map(i -> (Object) (i / 100.0)),
                Arbitraries.longs().between(0, 2).map(l -> (Object) l));
        Arbitrary<UserData.Model> model = Combinators.combine(Arbitraries.longs().between(1, 500), text(1, 100), text(0, 300),
                        Arbitraries.longs().between(-5, 1_000_000), temperature, Arbitraries.of(true, false), timestamp(), assigned)
                .as(UserData.Model::new);
        return model.list().ofMaxSize(3).uniqueElements(UserData.Model::id).uniqueElements(UserData.Model::name);
    }
}
