package io.djangouserbackup.cli;

import com.beust.jcommander.Parameter;

/** Options every command takes, before or after the command name. */
final class CommonOptions {
    @Parameter(names = {"-h", "--help"}, help = true, description = "Show this help and exit.", order = 90)
    boolean help;

    @Parameter(names = {"-q", "--quiet"}, description = "Print no progress, notes or summary; errors still show, and so"
            + " do a dry run's report and, when an import asks for confirmation, the plan and the prompt.", order = 91)
    boolean quiet;

    @Parameter(names = "--debug", description = "On failure, print the stack trace too.", order = 92)
    boolean debug;
}
