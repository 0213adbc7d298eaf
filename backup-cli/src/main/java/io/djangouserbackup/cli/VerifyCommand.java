package io.djangouserbackup.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import com.beust.jcommander.ParametersDelegate;
import io.djangouserbackup.core.Verifier;
import io.djangouserbackup.core.VerifyResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code verify}: checks a backup without any database. */
@Parameters(separators = "=", commandNames = "verify", commandDescription = "Check a backup file without any database and print"
        + " what it holds.")
final class VerifyCommand extends Command {

    @Parameter(description = "INPUT")
    List<String> arguments = new ArrayList<>();

    @Override
    List<String> arguments() {
        return arguments;
    }

    @ParametersDelegate
    PassphraseOptions passphrase = new PassphraseOptions();

    private static final String USAGE = "verify [--passphrase-file FILE | --passphrase-env NAME] INPUT";
    private static final String DETAILS = """
            Checks the SHA-256 digest the backup carries (truncation, tampering), the format, the types of the
            fields Django defines, references between sections and duplicates; exits 0 only for a backup that import would read (whether a particular database can
            hold it, import --dry-run tells). INPUT may be gzip-compressed or encrypted; - reads standard input.
            An encrypted backup (export --encrypt) needs its passphrase: --passphrase-file, --passphrase-env,
            DJANGO_USER_BACKUP_PASSPHRASE, or a prompt on the terminal; every segment is authenticated.
            A Django fixture (manage.py dumpdata output, a JSON list) is checked as import would read it.

            Examples:
              django-user-backup verify user_data_backup_20260102_030405.json
              gpg -d users.json.gpg | django-user-backup verify -
            """;

    VerifyCommand() {
        super("verify", USAGE, DETAILS, "nothing was verified");
    }

    @Override
    int run(Context context) {
        if (arguments.size() != 1) {
            throw CliFailure.usage(arguments.isEmpty() ? "verify needs the backup to check (INPUT, or - for standard input)"
                    : "verify takes one INPUT, got " + arguments.size());
        }
        String input = arguments.get(0);
        Path spooled = null;
        try {
            FileSource source;
            if (input.equals(Stdin.DASH)) {
                spooled = Stdin.spool(context.in(), context.env().tempDirectory());
                source = new FileSource(spooled, "standard input");
            } else {
                source = new FileSource(context.env().resolve(input), input);
            }
            VerifyResult result;
            boolean encrypted;
            try (FileSource.Readable readable = source.readable(context, passphrase,
                    context.canAskSecret(input.equals(Stdin.DASH)));
                 Progress progress = context.progress(() -> "verifying " + input + " " + source.percentRead())) {
                encrypted = readable.encryption() != null;
                result = Verifier.standard().verify(readable.source());
            }
            if (!context.quiet() && result.header().isDjangoFixture()) {
                // A fixture carries no digest: what is checked is its shape, its values and its references.
                context.out().println(source.description() + ": a valid Django fixture (as manage.py dumpdata writes it)"
                        + " of " + Reports.rowCounts(result.rows()) + "; it carries no digest, so truncation inside a"
                        + " value cannot be ruled out, only a broken structure");
            } else if (!context.quiet()) {
                context.out().println(source.description() + ": a valid backup (" + Reports.origin(result.header())
                        + ") of " + Reports.rowCounts(result.rows()) + "; " + (encrypted
                        ? "encrypted, every segment authenticates, and its content matches its SHA-256 digest"
                        : "its content matches its SHA-256 digest"));
            }
            return ExitCodes.OK;
        } finally {
            Stdin.delete(spooled);
        }
    }
}
