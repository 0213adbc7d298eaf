package io.djangouserbackup.cli;

import com.beust.jcommander.Parameter;

/** Options every command takes, before or after the command name. */
final class CommonOptions {
    @Parameter(names = {"-h", "--help"}, help = true, description = "Show this help and exit.", order = 90)
    boolean help;

    @Parameter(names = {"-q", "--quiet"}, description = "Print no progress, plan, notes or summary; errors and the"
            + " confirmation prompt still show.", order = 91)
    boolean quiet;

    @Parameter(names = "--debug", description = "On failure, print the stack trace too.", order = 92)
    boolean debug;
}
