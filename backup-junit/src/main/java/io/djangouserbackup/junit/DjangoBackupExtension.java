package io.djangouserbackup.junit;

import io.djangouserbackup.core.BackupException;
import io.djangouserbackup.core.BackupSource;
import io.djangouserbackup.core.DatabaseUrls;
import io.djangouserbackup.core.DjangoDataSource;
import io.djangouserbackup.core.DjangoDatabase;
import io.djangouserbackup.core.DjangoSchema;
import io.djangouserbackup.core.ImportMode;
import io.djangouserbackup.core.Importer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;

/**
 * The extension behind {@link RestoreBackup}; registered by the annotation, not by hand.
 *
 * <p>Before each test it restores the annotation's backups into the target. For the default target (a temporary
 * SQLite database) it restores each distinct list of backups once per test run into a pristine database and gives
 * every test its own copy of that file, so the second and later tests cost a file copy, and tests running in
 * parallel never share a database. After each test it closes the connections it handed out and deletes the test's
 * database; a named database (URL or {@link TargetDatabase}) is left as the test left it.
 */
public final class DjangoBackupExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(DjangoBackupExtension.class);

    /** Creates the extension; JUnit does this for {@link RestoreBackup}. */
    public DjangoBackupExtension() {
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Placed placed = annotation(context).orElseThrow(() -> new ExtensionConfigurationException(
                "DjangoBackupExtension on " + context.getDisplayName() + " without @RestoreBackup"));
        RestoreBackup annotation = placed.annotation();
        String place = "@RestoreBackup on " + placed.place();
        if (annotation.value().length == 0) {
            throw new ExtensionConfigurationException(place + ": no backup named");
        }
        Optional<DjangoDatabase> named = namedTarget(annotation, context, place);
        TestDatabase database;
        if (named.isPresent()) {
            restore(named.get(), annotation, readAll(annotation, context, place), place);
            database = new TestDatabase(named.get(), null);
        } else {
            // The backups are read only when the pristine copy is made: later tests just copy the file.
            Pristine pristine = context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(
                    new PristineKey(List.of(annotation.value()), annotation.mode(), context.getRequiredTestClass().getClassLoader()),
                    key -> Pristine.create(annotation, readAll(annotation, context, place), place), Pristine.class);
            database = pristine.copy();
        }
        context.getStore(NAMESPACE).put(TestDatabase.class, database);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        TestDatabase database = context.getStore(NAMESPACE).remove(TestDatabase.class, TestDatabase.class);
        if (database != null) {
            database.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        if (context.getTestMethod().isEmpty() || parameter.isAnnotated(TempDir.class)) {
            return false;
        }
        return type == DjangoDatabase.class || type == Connection.class || type == DataSource.class || type == Path.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        TestDatabase database = context.getStore(NAMESPACE).get(TestDatabase.class, TestDatabase.class);
        if (database == null) {
            throw new ParameterResolutionException("no database restored for " + context.getDisplayName()
                    + " (is it a @BeforeAll method? the database exists from before each test to after it)");
        }
        Class<?> type = parameter.getParameter().getType();
        if (type == DjangoDatabase.class) {
            return database.database();
        }
        if (type == DataSource.class) {
            return new DjangoDataSource(database.database());
        }
        if (type == Connection.class) {
            return database.connection();
        }
        if (database.file() == null) {
            throw new ParameterResolutionException("a Path parameter is the temporary SQLite file; "
                    + context.getDisplayName() + " restores into " + database.database().description());
        }
        return database.file();
    }

    /** The annotation of the test method, else of its class or the classes around it ({@code @Nested}). */
    private static Optional<Placed> annotation(ExtensionContext context) {
        Optional<Method> method = context.getTestMethod();
        if (method.isPresent()) {
            Optional<RestoreBackup> onMethod = AnnotationSupport.findAnnotation(method.get(), RestoreBackup.class);
            if (onMethod.isPresent()) {
                return Optional.of(new Placed(onMethod.get(), method.get().getDeclaringClass().getName() + "."
                        + method.get().getName() + "()"));
            }
        }
        for (Class<?> type = context.getRequiredTestClass(); type != null; type = type.getEnclosingClass()) {
            Optional<RestoreBackup> onClass = AnnotationSupport.findAnnotation(type, RestoreBackup.class);
            if (onClass.isPresent()) {
                return Optional.of(new Placed(onClass.get(), type.getName()));
            }
        }
        return Optional.empty();
    }

    private record Placed(RestoreBackup annotation, String place) {
    }

    private static List<byte[]> readAll(RestoreBackup annotation, ExtensionContext context, String place) {
        List<byte[]> backups = new ArrayList<>();
        for (String location : annotation.value()) {
            backups.add(read(location, context, place));
        }
        return backups;
    }

    /** A backup's bytes, as stored (gzip is recognised when it is restored). */
    private static byte[] read(String location, ExtensionContext context, String place) {
        try {
            if (location.startsWith("file:")) {
                Path file = Path.of(location.substring("file:".length()));
                if (!Files.isRegularFile(file)) {
                    throw new ExtensionConfigurationException(place + ": " + location + ": no such file ("
                            + file.toAbsolutePath() + ")");
                }
                return Files.readAllBytes(file);
            }
            String resource = location.startsWith("classpath:") ? location.substring("classpath:".length()) : location;
            resource = resource.startsWith("/") ? resource.substring(1) : resource;
            ClassLoader loader = context.getRequiredTestClass().getClassLoader();
            try (InputStream in = loader.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new ExtensionConfigurationException(place + ": " + location + ": no such classpath resource");
                }
                return in.readAllBytes();
            }
        } catch (IOException e) {
            throw new ExtensionConfigurationException(place + ": " + location + ": " + e.getMessage(), e);
        }
    }

    private static void restore(DjangoDatabase target, RestoreBackup annotation, List<byte[]> backups, String place) {
        for (int i = 0; i < backups.size(); i++) {
            ImportMode mode = i == 0 ? annotation.mode() : ImportMode.MERGE;
            String location = annotation.value()[i];
            try {
                Importer.of(target).withMode(mode).importFrom(BackupSource.of(backups.get(i)));
            } catch (BackupException e) {
                throw new ExtensionConfigurationException(place + ": " + location + " could not be restored ("
                        + mode.name().toLowerCase(java.util.Locale.ROOT) + " into " + target.description() + "): "
                        + e.getMessage(), e);
            }
        }
    }

    /** The database of {@link RestoreBackup#database()} or of a {@link TargetDatabase} member, if any. */
    private static Optional<DjangoDatabase> namedTarget(RestoreBackup annotation, ExtensionContext context, String place) {
        if (!annotation.database().isBlank()) {
            try {
                return Optional.of(DatabaseUrls.parse(annotation.database()));
            } catch (BackupException e) {
                throw new ExtensionConfigurationException(place + ": database: " + e.getMessage(), e);
            }
        }
        Object instance = context.getTestInstance().orElse(null);
        for (Class<?> type = context.getRequiredTestClass(); type != null; type = type.getEnclosingClass()) {
            List<AnnotatedElement> members = new ArrayList<>();
            members.addAll(AnnotationSupport.findAnnotatedFields(type, TargetDatabase.class));
            members.addAll(AnnotationSupport.findAnnotatedMethods(type, TargetDatabase.class, HierarchyTraversalMode.TOP_DOWN));
            if (members.size() > 1) {
                throw new ExtensionConfigurationException(place + ": several @TargetDatabase members in " + type.getName());
            }
            if (members.size() == 1) {
                Object owner = ownerOf(members.get(0), type, instance, context);
                return Optional.of(value(members.get(0), owner, place));
            }
        }
        return Optional.empty();
    }

    /** The instance that holds a member: the test instance, or for a {@code @Nested} class the enclosing one. */
    private static Object ownerOf(AnnotatedElement member, Class<?> type, Object instance, ExtensionContext context) {
        int modifiers = member instanceof Field field ? field.getModifiers() : ((Method) member).getModifiers();
        if (Modifier.isStatic(modifiers)) {
            return null;
        }
        return context.getRequiredTestInstances().getAllInstances().stream().filter(type::isInstance).findFirst()
                .orElse(instance);
    }

    private static DjangoDatabase value(AnnotatedElement member, Object owner, String place) {
        try {
            Object value;
            if (member instanceof Field field) {
                field.setAccessible(true);
                value = field.get(owner);
            } else {
                Method method = (Method) member;
                method.setAccessible(true);
                value = method.invoke(owner);
            }
            if (!(value instanceof DjangoDatabase database)) {
                throw new ExtensionConfigurationException(place + ": @TargetDatabase " + member + " is "
                        + (value == null ? "null" : "a " + value.getClass().getName()) + ", not a DjangoDatabase");
            }
            return database;
        } catch (ReflectiveOperationException e) {
            throw new ExtensionConfigurationException(place + ": @TargetDatabase " + member + ": " + e, e);
        }
    }

    /** The per-run cache key of a pristine database: the same backups in the same mode, seen by the same loader. */
    private record PristineKey(List<String> locations, ImportMode mode, ClassLoader loader) {
    }

    /**
     * A SQLite file that holds the restored backups, made once per run and copied for each test; deleted at the end.
     * Both interfaces: JUnit before 5.13 closes only a {@code CloseableResource}, later ones prefer {@code AutoCloseable}.
     */
    @SuppressWarnings("deprecation")
    private record Pristine(Path directory, Path file) implements ExtensionContext.Store.CloseableResource, AutoCloseable {

        static Pristine create(RestoreBackup annotation, List<byte[]> backups, String place) {
            try {
                Path directory = Files.createTempDirectory("django-backup-pristine");
                Path file = directory.resolve("pristine.sqlite3");
                DjangoDatabase database = DjangoSchema.authAndOpenAiModels().createSqlite(file);
                restore(database, annotation, backups, place);
                return new Pristine(directory, file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        TestDatabase copy() {
            try {
                Path directory = Files.createTempDirectory("django-backup-test");
                Path copy = directory.resolve("db.sqlite3");
                Files.copy(file, copy);
                return new TestDatabase(DjangoDatabase.sqlite(copy), copy);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            deleteTree(directory);
        }
    }

    /** A test's database, the temporary file when it has one, and the connections handed to the test. */
    private static final class TestDatabase {
        private final DjangoDatabase database;
        private final Path file;
        private final List<Connection> connections = new ArrayList<>();

        TestDatabase(DjangoDatabase database, Path file) {
            this.database = database;
            this.file = file;
        }

        DjangoDatabase database() {
            return database;
        }

        Path file() {
            return file;
        }

        synchronized Connection connection() {
            try {
                Connection connection = new DjangoDataSource(database).getConnection();
                connections.add(connection);
                return connection;
            } catch (SQLException e) {
                throw new ParameterResolutionException("cannot connect to " + database.description() + ": " + e.getMessage(), e);
            }
        }

        synchronized void close() {
            for (Connection connection : connections) {
                try {
                    connection.close();
                } catch (SQLException ignored) {
                    // Closing after the test: nothing left to tell it.
                }
            }
            connections.clear();
            if (file != null) {
                deleteTree(file.getParent());
            }
        }
    }

    private static void deleteTree(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // A temporary directory; the system removes what is left.
        }
    }
}
