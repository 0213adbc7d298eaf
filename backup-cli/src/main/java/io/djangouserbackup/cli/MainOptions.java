package io.djangouserbackup.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.ParametersDelegate;

/** Options before the command name. */
final class MainOptions {
    @Parameter(names = {"-V", "--version"}, description = "Print the version and exit.", order = 80)
    boolean version;

    @ParametersDelegate
    CommonOptions common = new CommonOptions();
}
