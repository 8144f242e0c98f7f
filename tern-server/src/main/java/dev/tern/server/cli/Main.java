package dev.tern.server.cli;

import picocli.CommandLine;

/** Entry point of the {@code tern} command. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit status (0 on success); used by tests in-process. */
    public static int run(String... args) {
        return new CommandLine(new TernCommand())
                .setExecutionExceptionHandler(new ErrorHandler())
                .execute(args);
    }
}
