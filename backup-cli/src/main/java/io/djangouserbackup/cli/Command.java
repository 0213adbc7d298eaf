package io.djangouserbackup.cli;

import com.beust.jcommander.ParametersDelegate;
import java.util.List;

/**
 * One of the program's commands as {@link Main} sees it: JCommander fills in its options (the ones every command
 * takes are here), then Main prints its help, checks its arguments or runs it. Main looks the command up once, by
 * {@link #name}.
 */
abstract class Command {
    /** The name it is run by, the one its {@code @Parameters(commandNames)} gives JCommander. */
    final String name;
    /** Its help's usage line, after the program's name. */
    final String usage;
    /** Its help's text after the options: what it does, in more words, and examples. */
    final String details;
    /** What running out of memory left behind: {@code no backup was written}. */
    final String outOfMemoryConsequence;

    /** The options every command takes, as parsed after the command's name. */
    @ParametersDelegate
    CommonOptions common = new CommonOptions();

    Command(String name, String usage, String details, String outOfMemoryConsequence) {
        this.name = name;
        this.usage = usage;
        this.details = details;
        this.outOfMemoryConsequence = outOfMemoryConsequence;
    }

    /** The file arguments, as parsed. */
    abstract List<String> arguments();

    /** Runs the command, returning the exit code; failures are thrown, for Main to map to their codes. */
    abstract int run(Context context);
}
