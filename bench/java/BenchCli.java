import io.djangouserbackup.core.BackupSource;
import io.djangouserbackup.core.DjangoDatabase;
import io.djangouserbackup.core.ExportResult;
import io.djangouserbackup.core.ImportMode;
import io.djangouserbackup.core.ImportResult;
import io.djangouserbackup.core.Importer;
import io.djangouserbackup.core.Exporter;
import java.nio.file.Path;

/**
 * Stand-in for the django-user-backup command line, used by bench/run.sh only while the real CLI
 * (backup-cli) cannot run the benchmark commands. Same arguments as the planned CLI:
 *
 * <pre>
 *   export --db PATH OUTPUT
 *   import --db PATH --mode merge|replace --yes INPUT
 * </pre>
 *
 * It calls backup-core directly (Exporter / Importer), with no prompting and no summary beyond one line,
 * so its timings are those of the library plus JVM start-up. Compiled by run.sh against the shaded jar.
 */
public final class BenchCli {
    private BenchCli() {
    }

    public static void main(String[] args) {
        if (args.length == 0) {
            usage();
        }
        String command = args[0];
        String db = null;
        String mode = "merge";
        String file = null;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--db" -> db = args[++i];
                case "--mode" -> mode = args[++i];
                case "--yes", "--force", "--quiet" -> { }
                default -> file = args[i];
            }
        }
        if (db == null || file == null) {
            usage();
        }
        DjangoDatabase database = DjangoDatabase.sqlite(Path.of(db));
        switch (command) {
            case "export" -> {
                ExportResult result = Exporter.of(database).withOverwrite(true).exportTo(Path.of(file));
                System.err.println("exported " + result.rows() + " to " + file);
            }
            case "import" -> {
                ImportMode importMode = mode.equals("replace") ? ImportMode.REPLACE : ImportMode.MERGE;
                ImportResult result = Importer.of(database).withMode(importMode).importFrom(BackupSource.of(Path.of(file)));
                System.err.println("imported " + file + ": " + result);
            }
            default -> usage();
        }
    }

    private static void usage() {
        System.err.println("usage: BenchCli export --db PATH OUTPUT | import --db PATH --mode merge|replace --yes INPUT");
        System.exit(2);
    }
}
