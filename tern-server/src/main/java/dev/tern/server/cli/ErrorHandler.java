package dev.tern.server.cli;

import dev.tern.common.error.TernException;
import picocli.CommandLine;

import java.util.concurrent.CompletionException;

/** Prints a failure as one line on stderr ("tern: CODE: message") and exits non-zero. */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        String text = t instanceof TernException te ? te.code() + ": " + te.getMessage() : t.toString();
        cmd.getErr().println("tern: " + text);
        return 1;
    }
}
