package io.djangouserbackup.cli;

import java.util.List;

/**
 * One of the program's commands as {@link Main} sees it: JCommander fills in its options, then Main asks it for its
 * help, its arguments or the run itself. Main looks the command up once, by {@link #name()}.
 */
interface Command {
    /** The name it is run by, the one its {@code @Parameters(commandNames)} gives JCommander. */
    String name();

    /** The options every command takes, as parsed after the command's name. */
    CommonOptions common();

    /** The file arguments, as parsed. */
    List<String> arguments();

    /** Its help's usage line, after the program's name. */
    String usage();

    /** Its help's text after the options: what it does, in more words, and examples. */
    String details();

    /** What running out of memory left behind, for the message: {@code no backup was written}. */
    String outOfMemoryConsequence();

    /** Runs the command, returning the exit code; failures are thrown, for Main to map to their codes. */
    int run(Context context);
}
