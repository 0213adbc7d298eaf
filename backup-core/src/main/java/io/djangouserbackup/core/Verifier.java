package io.djangouserbackup.core;

import io.djangouserbackup.core.internal.CheckPass;
import io.djangouserbackup.core.internal.RunContext;
import io.djangouserbackup.core.internal.SqliteDialect;
import io.djangouserbackup.core.mappers.IncludedTableMapper;
import io.djangouserbackup.core.mappers.ModelTableMapper;
import io.djangouserbackup.core.spi.SectionRun;
import io.djangouserbackup.core.spi.TableMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a backup without any database: the digest of its content ({@link BackupDigest}), its format, the types
 * of the fields Django defines, references between sections, and duplicates. Sections the backup's header
 * describes (tables added with {@code export --table}) are verified as described: their keys, references and
 * values against the declared column types. A backup that passes is one an
 * import would read; whether a particular target can hold it is for {@link Importer#plan(BackupSource)} to say.
 *
 * <pre>{@code
 * VerifyResult result = Verifier.standard().verify(BackupSource.of(Path.of("backup.json")));
 * }</pre>
 */
public final class Verifier {
    private final List<TableMapper> mappers;

    private Verifier(List<TableMapper> mappers) {
        this.mappers = mappers;
    }

    /** A verifier for the built-in sections. */
    public static Verifier standard() {
        return new Verifier(DjangoDatabase.builtInMappers(ModelTableMapper.openAiModels(), List.of()));
    }

    /** A verifier that also accepts the sections of the given database's added mappers. */
    public static Verifier forDatabase(DjangoDatabase database) {
        return new Verifier(database.mappers());
    }

    /**
     * Reads and checks the whole backup. On a machine with a second processor, a backup larger than 128 KiB is
     * hashed on a second (daemon) thread while this one parses and checks it; that thread has ended when this
     * method returns or throws.
     *
     * @throws InvalidBackupException naming the first problem's place
     */
    public VerifyResult verify(BackupSource source) {
        try (RunContext context = new RunContext(null, new SqliteDialect(), null, ImportMode.MERGE)) {
            return verify(source, context);
        }
    }

    private VerifyResult verify(BackupSource source, RunContext context) {
        Map<String, SectionRun> runs = new LinkedHashMap<>();
        for (TableMapper mapper : mappers) {
            runs.put(mapper.section(), mapper.start(context));
        }
        CheckPass pass = new CheckPass(mappers, runs, DjangoDatabase.requiredSections()).acceptingDescribedSections(context);
        // The digest is computed on a second thread while this one parses and checks, which bounds a verify's time.
        String sha256 = Importer.read(source, pass, null, true);
        pass.finish();
        Map<String, Long> rows = new LinkedHashMap<>();
        for (TableMapper mapper : pass.mappers()) {
            if (mapper instanceof IncludedTableMapper && pass.has(mapper.section())) {
                // Judges references to rows later in the same section, once every key is known.
                runs.get(mapper.section()).absentRows();
            }
            if (pass.has(mapper.section())) {
                rows.put(mapper.section(), pass.rows(mapper.section()));
            }
        }
        return new VerifyResult(pass.header(), rows, sha256);
    }
}
