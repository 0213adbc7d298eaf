package io.djangouserbackup.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real Django 3.2 ({@code /usr/bin/python3} with Debian's {@code python3-django}) judges the hashes: its
 * {@code check_password} accepts what {@link DjangoPasswordHasher} makes, at several iteration counts, and the
 * Java side verifies what Django makes. Hashes and passwords travel through files, never through the output.
 */
class DjangoPasswordHasherTest {

    @TempDir
    Path dir;

    private static final List<String> PASSWORDS = List.of("s3cret", "", "pässwörd ünïcödé", "emoji \uD83D\uDE00 pw",
            "with $ dollar", "  spaces  ");

    @Test
    void djangoChecksJavaHashesAtSeveralIterationCounts() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int iterations : new int[] {1, 1000, 260_000}) {
            DjangoPasswordHasher hasher = DjangoPasswordHasher.newest().withIterations(iterations);
            for (String password : PASSWORDS) {
                lines.add(line(password, hasher.hash(password), true));
                lines.add(line(password + "x", hasher.hash(password), false));
            }
        }
        // The newest release's count (1,000,000) and 4.2's, once each: they cost about a second apiece.
        lines.add(line("s3cret", DjangoPasswordHasher.newest().hash("s3cret"), true));
        lines.add(line("s3cret", DjangoPasswordHasher.forDjango("4.2").hash("s3cret"), true));
        lines.add(line("s3cret", DjangoPasswordHasher.newest().unusable(), false));
        String verdicts = python("""
                import json, sys
                from django.conf import settings
                settings.configure()
                from django.contrib.auth.hashers import check_password, is_password_usable
                out = []
                for line in open(sys.argv[1], encoding='utf-8'):
                    case = json.loads(line)
                    out.append('ok' if check_password(case['password'], case['encoded']) == case['expected'] else 'WRONG')
                print(' '.join(out))
                """, lines);
        assertThat(verdicts.trim().split(" ")).hasSize(lines.size()).containsOnly("ok");
    }

    @Test
    void javaVerifiesDjangoHashesAndTheDefaultCountIsDjangos() throws Exception {
        String out = python("""
                import json, sys
                from django.conf import settings
                settings.configure()
                from django.contrib.auth.hashers import make_password, PBKDF2PasswordHasher
                import django
                cases = [json.loads(line) for line in open(sys.argv[1], encoding='utf-8')]
                with open(sys.argv[1] + '.out', 'w', encoding='utf-8') as f:
                    for case in cases:
                        f.write(make_password(case['password']) + '\\n')
                    f.write(make_password(None) + '\\n')
                print(django.get_version(), PBKDF2PasswordHasher.iterations)
                """, PASSWORDS.stream().map(p -> line(p, "", true)).toList());
        String[] versionAndIterations = out.trim().split(" ");
        assertThat(versionAndIterations[0]).startsWith("3.2");
        assertThat(DjangoPasswordHasher.forDjango(versionAndIterations[0]).iterations())
                .isEqualTo(Integer.parseInt(versionAndIterations[1])).isEqualTo(260_000);
        List<String> djangoHashes = Files.readAllLines(dir.resolve("cases.jsonl.out"));
        DjangoPasswordHasher hasher = DjangoPasswordHasher.newest();
        for (int i = 0; i < PASSWORDS.size(); i++) {
            String encoded = djangoHashes.get(i);
            assertThat(hasher.verify(PASSWORDS.get(i), encoded)).as("password %d", i).isTrue();
            assertThat(hasher.verify(PASSWORDS.get(i) + "x", encoded)).as("wrong password %d", i).isFalse();
            // Same salt, same count: the same text as Django's.
            String[] parts = encoded.split("\\$");
            assertThat(DjangoPasswordHasher.forDjango("3.2").hash(PASSWORDS.get(i), parts[2]).equals(encoded))
                    .as("Java's hash of password %d with Django's salt equals Django's", i).isTrue();
        }
        String unusable = djangoHashes.get(PASSWORDS.size());
        assertThat(DjangoPasswordHasher.isUsable(unusable)).isFalse();
        assertThat(unusable).hasSize(41);
    }

    @Test
    void formatAndUnusablePasswords() {
        DjangoPasswordHasher hasher = DjangoPasswordHasher.forDjango("4.1").withRandom(new Random(7));
        String encoded = hasher.hash("pw");
        assertThat(encoded).matches("pbkdf2_sha256\\$390000\\$[a-zA-Z0-9]{22}\\$[A-Za-z0-9+/]{43}=");
        assertThat(DjangoPasswordHasher.forDjango("4.1").withRandom(new Random(7)).hash("pw")).isEqualTo(encoded);
        assertThat(hasher.verify("pw", encoded)).isTrue();
        String unusable = hasher.unusable();
        assertThat(unusable).matches("![a-zA-Z0-9]{40}");
        assertThat(hasher.verify(unusable, unusable)).isFalse();
        assertThat(hasher.verify("pw", null)).isFalse();
        assertThat(hasher.verify("pw", "md5$x$y")).isFalse();
    }

    @Test
    void iterationCountsOfEachRelease() {
        assertThat(DjangoPasswordHasher.knownReleases()).containsExactly("3.2", "4.0", "4.1", "4.2", "5.0", "5.1", "5.2");
        assertThat(DjangoPasswordHasher.forDjango("3.2").iterations()).isEqualTo(260_000);
        assertThat(DjangoPasswordHasher.forDjango("4.0").iterations()).isEqualTo(320_000);
        assertThat(DjangoPasswordHasher.forDjango("4.1").iterations()).isEqualTo(390_000);
        assertThat(DjangoPasswordHasher.forDjango("4.2.11").iterations()).isEqualTo(600_000);
        assertThat(DjangoPasswordHasher.forDjango("5.0").iterations()).isEqualTo(720_000);
        assertThat(DjangoPasswordHasher.forDjango("5.1").iterations()).isEqualTo(870_000);
        assertThat(DjangoPasswordHasher.forDjango("5.2").iterations()).isEqualTo(1_000_000);
        assertThat(DjangoPasswordHasher.newest().iterations()).isEqualTo(1_000_000);
        assertThatThrownBy(() -> DjangoPasswordHasher.forDjango("2.2")).isInstanceOf(IllegalArgumentException.class);
    }

    private static String line(String password, String encoded, boolean expected) {
        return "{\"password\": " + json(password) + ", \"encoded\": " + json(encoded) + ", \"expected\": " + expected + "}";
    }

    private static String json(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private String python(String script, List<String> cases) throws IOException, InterruptedException {
        Path input = dir.resolve("cases.jsonl");
        Files.write(input, cases, StandardCharsets.UTF_8);
        return SystemPython.run(dir, script, input.toString());
    }
}
