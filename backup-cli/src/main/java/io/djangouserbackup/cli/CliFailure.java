package io.djangouserbackup.cli;

/** A failure the command itself detects, with the exit code it ends in and a message for stderr. */
final class CliFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    CliFailure(int exitCode, String message) {
        this(exitCode, message, null);
    }

    CliFailure(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    static CliFailure usage(String message) {
        return new CliFailure(ExitCodes.USAGE, message);
    }

    int exitCode() {
        return exitCode;
    }
}
