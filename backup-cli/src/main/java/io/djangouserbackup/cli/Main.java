package io.djangouserbackup.cli;

import com.beust.jcommander.JCommander;
import com.beust.jcommander.MissingCommandException;
import com.beust.jcommander.ParameterDescription;
import com.beust.jcommander.ParameterException;
import io.djangouserbackup.core.BackupException;
import io.djangouserbackup.core.DatabaseAccessException;
import io.djangouserbackup.core.IncompatibleDatabaseException;
import io.djangouserbackup.core.InvalidBackupException;
import io.djangouserbackup.core.OutputExistsException;
import io.djangouserbackup.core.OutputWriteException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code django-user-backup} command. {@link #main} wires the real streams and terminal; {@link #run} does the
 * work and returns the exit code, so tests can drive it with their own.
 */
public final class Main {
    static final String PROGRAM = "django-user-backup";

    private static final String USAGE = """
            Usage: django-user-backup [--version] [--help] COMMAND [OPTIONS] [FILE]

            Back up and restore the users, groups, permissions and OpenAI models of a Django database.

            Commands:
              export   Back up the database to a JSON file (or - for standard output).
              import   Restore a backup, after showing what will change and asking.
              verify   Check a backup file without any database.
              diff     Show what changed between two backups, per row and field.

            The database is --db PATH, else --url URL, else the DATABASE_URL environment variable
            (sqlite:///db.sqlite3), else ./db.sqlite3.

            export --encrypt writes an encrypted backup, which import and verify decrypt; the passphrase
            comes from --passphrase-file FILE, --passphrase-env NAME or DJANGO_USER_BACKUP_PASSPHRASE,
            else it is asked on the terminal.

            Options for every command: -h/--help, -q/--quiet, --debug.
            Run 'django-user-backup COMMAND --help' for a command's options.

            Exit codes: 0 done, 1 unexpected failure, 2 bad command line (or OUTPUT exists without --force,
            or no passphrase for an encrypted backup), 3 import declined or not confirmed, 4 invalid backup
            file (or wrong passphrase), 5 database missing, locked or not Django's schema, 6 could not write
            the output, 7 diff: the backups differ, 130/143 interrupted (an import is rolled back).
            """;

    private Main() {
    }

    public static void main(String[] args) {
        // Before any class of the driver loads: the driver reads these properties once.
        NativeLibrary.useCachedCopy();
        // Java 17: a console exists when standard input and output are both a terminal. Only then is a person
        // asked to confirm, and shown progress; a passphrase is asked on the controlling terminal whenever there
        // is one, so that the backup itself can go through a pipe.
        java.io.Console console = System.console();
        boolean interactive = console != null;
        Context.Terminal terminal = Tty.open();
        if (terminal == null && console != null) {
            terminal = new Context.Terminal() {
                @Override
                public char[] readSecret(String prompt) {
                    return console.readPassword("%s", prompt);
                }

                @Override
                public String readLine(String prompt) {
                    return console.readLine("%s", prompt);
                }
            };
        }
        Interrupts.install(System.err);
        int code = run(args, System.in, System.out, System.err, Env.system(), interactive, terminal);
        System.out.flush();
        System.err.flush();
        Interrupts.finished(code);
        System.exit(code);
    }

    /**
     * Runs the command line and returns its exit code.
     *
     * @param in          standard input: a backup for {@code import -}, else the answer to the prompt
     * @param out         standard output
     * @param err         standard error
     * @param env         environment variables, working directory, temporary folder and clock
     * @param interactive whether a person is at a terminal: only then does import ask, and progress show
     */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err, Env env, boolean interactive) {
        // Without the JDK's console (tests), answers and passphrases are lines of standard input, and only an
        // interactive run has a terminal at all.
        Context.Terminal fromInput = new Context.Terminal() {
            @Override
            public char[] readSecret(String prompt) {
                String line = readLine(prompt);
                if (line == null) {
                    err.println();
                }
                return line == null ? null : line.toCharArray();
            }

            @Override
            public String readLine(String prompt) {
                err.print(prompt);
                err.flush();
                try {
                    return Stdin.readLine(in);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }

            @Override
            public boolean sharesStandardInput() {
                return true;
            }
        };
        return run(args, in, out, err, env, interactive, interactive ? fromInput : null);
    }

    private static int run(String[] args, InputStream in, PrintStream out, PrintStream err, Env env, boolean interactive,
                           Context.Terminal terminal) {
        MainOptions main = new MainOptions();
        Map<String, Command> commands = commands();
        // JCommander reads every registered command's options by reflection when it is built, which is much of the
        // start-up time; when the command is known from the arguments, only its parser is built.
        String chosen = chosenCommand(args, commands.keySet());
        JCommander.Builder builder = JCommander.newBuilder().programName(PROGRAM).addObject(main);
        for (Command command : commands.values()) {
            if (chosen == null || chosen.equals(command.name)) {
                builder.addCommand(command);
            }
        }
        JCommander commander = builder.build();
        try {
            commander.parse(args);
        } catch (MissingCommandException e) {
            String unknown = e.getUnknownCommand();
            if (unknown.startsWith("-")) {
                err.println(PROGRAM + ": unknown option " + unknown + " before the command; command options go after"
                        + " it, e.g. " + PROGRAM + " export --db PATH (see " + PROGRAM + " --help)");
            } else {
                err.println(PROGRAM + ": unknown command '" + unknown + "' (commands: "
                        + String.join(", ", commands.keySet()) + "; see " + PROGRAM + " --help)");
            }
            return ExitCodes.USAGE;
        } catch (ParameterException e) {
            String command = commander.getParsedCommand();
            err.println(PROGRAM + ": " + e.getMessage() + " (see " + PROGRAM + (command == null ? "" : " " + command)
                    + " --help)");
            return ExitCodes.USAGE;
        }
        if (main.version) {
            out.println(PROGRAM + " " + version());
            return ExitCodes.OK;
        }
        String parsed = commander.getParsedCommand();
        if (parsed == null) {
            if (main.common.help) {
                out.print(USAGE);
                return ExitCodes.OK;
            }
            err.println(PROGRAM + ": no command given (see " + PROGRAM + " --help)");
            return ExitCodes.USAGE;
        }
        Command command = commands.get(parsed);
        CommonOptions common = command.common;
        if (main.common.help || common.help) {
            out.print(commandHelp(commander, command));
            return ExitCodes.OK;
        }
        String unknownOption = unknownOption(args, command.arguments());
        if (unknownOption != null) {
            err.println(PROGRAM + ": unknown option " + unknownOption + " (see " + PROGRAM + " " + command.name
                    + " --help; a file whose name starts with - can be given as ./" + unknownOption + ")");
            return ExitCodes.USAGE;
        }
        boolean debug = main.common.debug || common.debug;
        Context context = new Context(in, out, err, env, interactive, main.common.quiet || common.quiet, terminal);
        try {
            return command.run(context);
        } catch (CliFailure e) {
            return fail(err, e.getMessage(), e, debug, e.exitCode());
        } catch (InvalidBackupException e) {
            return fail(err, "invalid backup: " + e.getMessage(), e, debug, ExitCodes.INVALID_BACKUP);
        } catch (IncompatibleDatabaseException | DatabaseAccessException e) {
            return fail(err, e.getMessage() + passwordHint(e.getMessage()), e, debug, ExitCodes.DATABASE);
        } catch (OutputExistsException e) {
            return fail(err, e.getMessage(), e, debug, ExitCodes.USAGE);
        } catch (OutputWriteException e) {
            return fail(err, e.getMessage(), e, debug, ExitCodes.OUTPUT);
        } catch (BackupException e) {
            return fail(err, e.getMessage(), e, debug, ExitCodes.UNEXPECTED);
        } catch (OutOfMemoryError e) {
            return fail(err, outOfMemory(command, e), e, debug, ExitCodes.UNEXPECTED);
        } catch (RuntimeException | Error e) {
            return fail(err, "unexpected failure: " + e + (debug ? "" : " (--debug shows where)"), e, debug,
                    ExitCodes.UNEXPECTED);
        }
    }

    /** Every command by name, in the order the help lists them; new objects each time, since parsing fills them in. */
    static Map<String, Command> commands() {
        Map<String, Command> byName = new LinkedHashMap<>();
        List<Command> all = List.of(new ExportCommand(), new ImportCommand(), new VerifyCommand(), new DiffCommand());
        for (Command command : all) {
            byName.put(command.name, command);
        }
        return byName;
    }

    /**
     * What running out of memory left behind, and how to give the JVM more: an import's transaction was not
     * committed, an export's temporary file was removed. Only an unusually large row or a heap below the default
     * gets here, since the commands stream.
     */
    static String outOfMemory(Command command, OutOfMemoryError e) {
        String reason = e.getMessage() == null ? "" : " (" + e.getMessage() + ")";
        return "out of memory" + reason + ", " + command.outOfMemoryConsequence + "; give Java more, e.g."
                + " DJANGO_USER_BACKUP_JAVA_OPTS=-Xmx2g for " + PROGRAM + ", or java -Xmx2g -jar";
    }

    /**
     * The command the arguments name, one of {@code names}, or null when they name none (then every command is
     * registered, so that JCommander reports the mistake as before). The options before the command take no value,
     * so the command is the first argument that is not an option.
     */
    static String chosenCommand(String[] args, Set<String> names) {
        for (String argument : args) {
            if (!argument.startsWith("-")) {
                return names.contains(argument) ? argument : null;
            }
        }
        return null;
    }

    private static int fail(PrintStream err, String message, Throwable failure, boolean debug, int exitCode) {
        err.println(PROGRAM + ": " + message);
        if (debug) {
            failure.printStackTrace(err);
        }
        err.flush();
        return exitCode;
    }

    /**
     * For a server that refused the login, where a password can come from: the driver's own words
     * ({@code SCRAM-based authentication}, {@code Access denied}) do not say.
     */
    static String passwordHint(String message) {
        if (message == null) {
            return "";
        }
        String variable;
        if (message.contains("password authentication failed") || message.contains("no password was provided")
                || message.contains("SCRAM")) {
            variable = DatabaseOptions.PGPASSWORD;
        } else if (message.contains("Access denied for user")) {
            variable = DatabaseOptions.MYSQL_PWD;
        } else {
            return "";
        }
        return "; give the server's password with --password-file FILE (its first line), in the URL"
                + " (user:password@host), or in the " + variable + " environment variable";
    }

    /** The version in the jar's manifest, or {@code dev} when run from classes. */
    static String version() {
        String version = Main.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    /**
     * The first file argument that is really a mistyped option, or null: JCommander takes an unknown option for a
     * file name. Arguments after {@code --} are file names whatever they look like.
     */
    private static String unknownOption(String[] args, List<String> arguments) {
        int dashDash = List.of(args).indexOf("--");
        int literal = dashDash < 0 ? 0 : args.length - dashDash - 1;
        for (String argument : arguments.subList(0, Math.max(0, arguments.size() - literal))) {
            if (argument.startsWith("-") && !argument.equals(Stdin.DASH)) {
                return argument;
            }
        }
        return null;
    }

    private static String commandHelp(JCommander commander, Command command) {
        StringBuilder help = new StringBuilder();
        help.append("Usage: ").append(PROGRAM).append(' ').append(command.usage).append("\n\n");
        help.append(commander.getUsageFormatter().getCommandDescription(command.name)).append("\n\n");
        help.append("Options:\n");
        List<ParameterDescription> options = commander.getCommands().get(command.name).getParameters().stream()
                .sorted(Comparator.comparingInt((ParameterDescription p) -> p.getParameter().order()))
                .toList();
        for (ParameterDescription option : options) {
            String names = option.getNames() + valueName(option);
            help.append("  ").append(names);
            List<String> lines = wrap(option.getDescription(), 64);
            String indent = " ".repeat(26);
            if (names.length() > 22) {
                help.append('\n').append(indent);
            } else {
                help.append(" ".repeat(24 - names.length()));
            }
            help.append(String.join("\n" + indent, lines)).append('\n');
        }
        help.append('\n').append(command.details);
        return help.toString();
    }

    private static final Map<String, String> VALUE_NAMES = Map.of("--db", " PATH", "--url", " URL",
            "--user-table", " TABLE", "--model-table", " TABLE", "--mode", " MODE", "--password-file", " FILE",
            "--passphrase-file", " FILE", "--passphrase-env", " NAME", "--keep", " N");

    private static String valueName(ParameterDescription option) {
        for (String name : option.getParameter().names()) {
            if (VALUE_NAMES.containsKey(name)) {
                return VALUE_NAMES.get(name);
            }
        }
        return "";
    }

    private static List<String> wrap(String text, int width) {
        List<String> lines = new java.util.ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        lines.add(line.toString());
        return lines;
    }
}
