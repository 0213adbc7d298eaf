package io.djangouserbackup.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * SQLite's native library for a plain {@code java -jar} run, unpacked once into the user's cache folder instead of
 * by the driver on every run (the driver starts a {@code uname -o} process, then copies the library to a fresh
 * temporary file; together about 0.15 s of CPU).
 *
 * <p>The library goes to {@code $XDG_CACHE_HOME/django-user-backup} (else {@code ~/.cache/django-user-backup}), in a
 * folder named after its size and CRC-32 as the jar records them, so another version gets a folder of its own. It
 * is used only when that folder and the file are owned by this user, not a symbolic link, readable and writable by
 * nobody else, and the file's size and CRC-32 are the jar's (checked on every run: a file cut short, damaged or from
 * another build is written again). It is written to a temporary file in the same folder and renamed into place, so
 * two runs at once each see a complete file. On any problem, on a platform other than Linux on x86_64 or aarch64,
 * outside a jar, or when {@code org.sqlite.lib.path} is already given (the launcher gives its own copy), nothing is
 * set and the driver loads the library its own way; it does so too when the copy does not load (the driver falls
 * back from {@code org.sqlite.lib.path} to its own extraction, e.g. on a musl system, where it picks its musl build).
 */
final class NativeLibrary {
    // This runs first, before anything else has used invokedynamic: no string concatenation with +, no lambdas and
    // no String.format here, which would start the method-handle machinery (tens of milliseconds) for a few strings.
    static final String LIB_NAME = "libsqlitejdbc.so";
    private static final String FOLDER = "django-user-backup";
    private static final Set<PosixFilePermission> OWNER_ONLY_FOLDER = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OTHERS = Set.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private NativeLibrary() {
    }

    /**
     * Points the driver at the cached library ({@code org.sqlite.lib.path} and {@code org.sqlite.lib.name}) when this
     * runs from a jar on a supported platform and the cache can be used; otherwise changes nothing.
     */
    static void useCachedCopy() {
        try {
            if (System.getProperty("org.sqlite.lib.path") != null || !"Linux".equals(System.getProperty("os.name"))) {
                return;
            }
            String arch = switch (System.getProperty("os.arch", "")) {
                case "amd64", "x86_64" -> "x86_64";
                case "aarch64" -> "aarch64";
                default -> null;
            };
            Path jar = jar();
            Path cacheRoot = cacheRoot();
            // A home that does not exist (a service account's /nonexistent) is not made.
            if (arch == null || jar == null || cacheRoot == null || cacheRoot.getParent() == null
                    || !Files.isDirectory(cacheRoot.getParent())) {
                return;
            }
            Path folder = cached(jar, "org/sqlite/native/Linux/".concat(arch).concat("/").concat(LIB_NAME), cacheRoot);
            if (folder != null) {
                System.setProperty("org.sqlite.lib.path", folder.toString());
                System.setProperty("org.sqlite.lib.name", LIB_NAME);
            }
        } catch (RuntimeException e) {
            // A cache is only a shortcut: the driver's own way still works.
        }
    }

    /**
     * The folder under {@code cacheRoot} that holds a verified copy of the jar's entry as {@value #LIB_NAME},
     * unpacking it first when missing or not the jar's; {@code null} when the entry is missing or the cache
     * cannot be used safely.
     */
    static Path cached(Path jar, String entryName, Path cacheRoot) {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry entry = zip.getEntry(entryName);
            if (entry == null || entry.getSize() < 0 || entry.getCrc() < 0) {
                return null;
            }
            int uid = uid();
            Path tool = cacheRoot.resolve(FOLDER);
            Path folder = tool.resolve("sqlite-".concat(Long.toString(entry.getSize())).concat("-")
                    .concat(Long.toHexString(entry.getCrc())));
            if (!ownFolder(tool, uid) || !ownFolder(folder, uid)) {
                return null;
            }
            Path library = folder.resolve(LIB_NAME);
            if (matches(library, entry, uid)) {
                return folder;
            }
            unpack(zip, entry, folder, library);
            return matches(library, entry, uid) ? folder : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Whether the file is this user's regular file, written by nobody else, with the entry's size and CRC-32. */
    private static boolean matches(Path library, ZipEntry entry, int uid) throws IOException {
        PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(library, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.NoSuchFileException e) {
            return false;
        }
        if (!attributes.isRegularFile() || attributes.size() != entry.getSize() || owner(library) != uid
                || attributes.permissions().contains(PosixFilePermission.GROUP_WRITE)
                || attributes.permissions().contains(PosixFilePermission.OTHERS_WRITE)) {
            return false;
        }
        CRC32 crc = new CRC32();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(library, LinkOption.NOFOLLOW_LINKS)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                crc.update(buffer, 0, n);
            }
        }
        return crc.getValue() == entry.getCrc();
    }

    /** Writes the entry to a temporary file beside the library and renames it into place in one step. */
    private static void unpack(ZipFile zip, ZipEntry entry, Path folder, Path library) throws IOException {
        Path partial = Files.createTempFile(folder, ".".concat(LIB_NAME), ".partial",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try {
            try (InputStream in = zip.getInputStream(entry); OutputStream out = Files.newOutputStream(partial)) {
                in.transferTo(out);
            }
            try {
                Files.move(partial, library, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                // Without an atomic rename another run could see half a file: leave the cache unused.
            }
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    /**
     * Creates the folder owner-only when missing; true when it is this user's real folder (not a symbolic link)
     * that nobody else can read, write or enter.
     */
    private static boolean ownFolder(Path folder, int uid) throws IOException {
        if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FOLDER));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // Another run made it at the same time; it is checked below like any other.
            }
        }
        PosixFileAttributes attributes = Files.readAttributes(folder, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        return attributes.isDirectory() && owner(folder) == uid
                && java.util.Collections.disjoint(attributes.permissions(), OTHERS);
    }

    private static int owner(Path path) throws IOException {
        return (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    }

    /** This process's user: Linux's {@code /proc/self} is owned by it. */
    private static int uid() throws IOException {
        return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    }

    /** The jar this class was loaded from, or {@code null} (classes in a folder, as in tests). */
    private static Path jar() {
        try {
            java.security.CodeSource source = NativeLibrary.class.getProtectionDomain().getCodeSource();
            if (source == null) {
                return null;
            }
            Path path = Path.of(source.getLocation().toURI());
            return Files.isRegularFile(path) ? path : null;
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    /** {@code $XDG_CACHE_HOME} when it is an absolute path, else {@code ~/.cache}; {@code null} without a home. */
    private static Path cacheRoot() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && xdg.startsWith("/")) {
            return Path.of(xdg);
        }
        String home = System.getProperty("user.home");
        return home == null || home.isEmpty() || home.equals("?") ? null : Path.of(home, ".cache");
    }
}
