package dev.tern.server.cli;

import picocli.CommandLine;

/** Entry point of the {@code tern} command. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        // the node logs what it does; client commands print results, and only warnings go to the log
        boolean node = args.length > 0 && (args[0].equals("server") || args[0].equals("demo"));
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", node ? "info" : "warn");
        }
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit status (0 on success); used by tests in-process. */
    public static int run(String... args) {
        return new CommandLine(new TernCommand())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(new ErrorHandler())
                .execute(args);
    }
}
