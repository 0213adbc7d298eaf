package io.djangouserbackup.cli.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A database built by Django for a scenario, with what Django saw in it right after ({@code snapshot}), which
 * plaintext each user's password hash belongs to ({@code passwords}), and the facts the snapshot step printed.
 *
 * @param db        the SQLite file
 * @param snapshot  Django's view of the data (see {@code interop/scenarios/views.py})
 * @param passwords the password file of the builder (see {@code interop/scenarios/build.py})
 * @param facts     the snapshot step, whose {@code fact} lines count users, groups and the rest
 */
record Dataset(Path db, Path snapshot, Path passwords, Finished facts) {

    /**
     * Migrates and fills a source database with {@code users} bulk users plus the known ones; {@code options} go to
     * the {@code build-source} step (e.g. {@code --names-distinct-ignoring-case}).
     */
    static Dataset source(Django django, int users, String... options) {
        Path passwords = sibling(django.db(), ".passwords.json");
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("build-source", "--users", Integer.toString(users),
                "--passwords-out", passwords.toString()));
        args.addAll(java.util.List.of(options));
        django.step(args.toArray(String[]::new));
        return snapshot(django, passwords);
    }

    /** Migrates and fills a target that has diverged from the source (see {@code build.build_target}). */
    static Dataset target(Django django, Dataset source, String... options) {
        Path passwords = sibling(django.db(), ".passwords.json");
        String[] args = new String[options.length + 5];
        args[0] = "build-target";
        args[1] = "--source-snapshot";
        args[2] = source.snapshot().toString();
        args[3] = "--passwords-out";
        args[4] = passwords.toString();
        System.arraycopy(options, 0, args, 5, options.length);
        django.step(args);
        return snapshot(django, passwords);
    }

    private static Dataset snapshot(Django django, Path passwords) {
        Path snapshot = sibling(django.db(), ".snapshot.json");
        Finished facts = django.step("snapshot", "--out", snapshot.toString());
        return new Dataset(django.db(), snapshot, passwords, facts);
    }

    private static Path sibling(Path db, String suffix) {
        return db.resolveSibling(db.getFileName().toString().replace(".sqlite3", "") + suffix);
    }

    /** A copy of the database file in {@code dir}, for a test to change. */
    Path copyDbTo(Path dir, String name) {
        try {
            return Files.copy(db, dir.resolve(name), StandardCopyOption.COPY_ATTRIBUTES);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long fact(String key) {
        return facts.factLong(key);
    }
}
