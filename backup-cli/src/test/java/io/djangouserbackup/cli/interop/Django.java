package io.djangouserbackup.cli.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Real Django, the judge: runs the scenario steps of {@code interop/scenarios} with Debian's Django
 * ({@code /usr/bin/python3}) on one SQLite database, in one variant of the interop project.
 *
 * <pre>{@code
 * Django source = Django.on(dir.resolve("source.sqlite3"));
 * source.step("build-source", "--users", "3000", "--passwords-out", passwords.toString());
 * source.verdict("check-restore", "--expected", snapshot.toString());
 * }</pre>
 */
final class Django {
    /** Debian's python3-django lives in the system Python; a pyenv or venv python3 on PATH may not have it. */
    static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Duration TIMEOUT = Duration.ofMinutes(4);

    private final Path db;
    private final String serverUrl;
    private final String variant;
    private final String extraApps;
    private final boolean moreApps;

    private Django(Path db, String serverUrl, String variant, String extraApps) {
        this(db, serverUrl, variant, extraApps, false);
    }

    private Django(Path db, String serverUrl, String variant, String extraApps, boolean moreApps) {
        this.db = db;
        this.serverUrl = serverUrl;
        this.variant = variant;
        this.extraApps = extraApps;
        this.moreApps = moreApps;
    }

    /** The default variant ({@code auth.User}) on this database. */
    static Django on(Path db) {
        return new Django(db, null, "default", "");
    }

    /**
     * The default variant on a database server, by Django URL ({@code postgres://user:password@host:port/name},
     * {@code mysql://...}); the steps run in {@code workDir}.
     */
    static Django onServer(String djangoUrl, Path workDir) {
        return new Django(workDir.resolve("server"), djangoUrl, "default", "");
    }

    /** The custom user model variant ({@code accounts.User} with extra columns). */
    Django custom() {
        return new Django(db, serverUrl, "custom", extraApps, moreApps);
    }

    /** Another variant of the interop project ({@code DJANGO_USER_VARIANT}: {@code fieldtypes}, {@code pgfieldtypes}, ...). */
    Django variant(String name) {
        return new Django(db, serverUrl, name, extraApps);
    }

    /** Apps installed before all others, which shifts content-type and permission ids. */
    Django withExtraApps(String apps) {
        return new Django(db, serverUrl, variant, apps, moreApps);
    }

    /** Issue 11's third-party apps (DRF authtoken, allauth, django-otp, guardian) and the extras app installed. */
    Django withMoreApps() {
        return new Django(db, serverUrl, variant, extraApps, true);
    }

    Path db() {
        return db;
    }

    /** The server's Django URL (with its password) this runs on, or null for SQLite. */
    String serverUrl() {
        return serverUrl;
    }

    /**
     * Fails, never skips, when Debian's Django is missing: the suite exists to make Django the judge, and a
     * green build without it would claim what nobody checked.
     */
    static void require() {
        if (!Files.isExecutable(PYTHON)) {
            fail(PYTHON + " not found. The interop suite needs Debian's python3 with Django 3.2: "
                    + "apt-get install python3-django");
        }
        Finished probe = Processes.run(List.of(PYTHON.toString(), "-c", "import django; print(django.get_version())"),
                Map.of(), repoRoot(), Duration.ofMinutes(1));
        assertThat(probe.exitCode())
                .as(() -> PYTHON + " cannot import Django. The interop suite needs Debian's Django 3.2: "
                        + "apt-get install python3-django\n" + probe.describe())
                .isZero();
    }

    /** Runs a step of {@code scenario.py} that must succeed. */
    Finished step(String... args) {
        Finished finished = run("scenario.py", args);
        assertThat(finished.exitCode()).as(() -> "Django step failed:\n" + finished.describe()).isZero();
        return finished;
    }

    /** Runs a check of {@code scenario.py}: exit 0 means Django agrees; the message lists what it disagrees with. */
    Finished verdict(String... args) {
        Finished finished = run("scenario.py", args);
        assertThat(finished.exitCode()).as(() -> "Django disagrees (" + variant + " variant, " + db.getFileName()
                + "):\n" + finished.describe()).isZero();
        return finished;
    }

    /** Runs a script of {@code interop/scenarios} and returns however it ended. */
    Finished run(String script, String... args) {
        List<String> command = new ArrayList<>();
        command.add(PYTHON.toString());
        command.add(repoRoot().resolve("interop/scenarios").resolve(script).toString());
        command.addAll(List.of(args));
        Map<String, String> env = new HashMap<>();
        env.put("DJANGO_DB_PATH", serverUrl == null ? db.toString() : null);
        env.put("DJANGO_DB_URL", serverUrl);
        env.put("DJANGO_USER_VARIANT", variant);
        env.put("DJANGO_EXTRA_APPS", extraApps);
        env.put("DJANGO_MORE_APPS", moreApps ? "1" : null);
        env.put("DJANGO_SETTINGS_MODULE", null);
        env.put("PYTHONPATH", null);
        env.put("PYTHONDONTWRITEBYTECODE", "1");
        env.put("PYTHONIOENCODING", "utf-8");
        return Processes.run(command, env, db.getParent(), TIMEOUT);
    }

    /** The repository root: the nearest directory upwards holding {@code interop/scenarios/scenario.py}. */
    static Path repoRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("interop/scenarios/scenario.py"))) {
                return dir;
            }
        }
        throw new AssertionError("interop/scenarios/scenario.py not found above " + Path.of("").toAbsolutePath());
    }
}
