package dev.tern.engine;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/** Turning whatever a future failed with into the catalogue's {@link TernException}. */
final class Failures {

    private Failures() {
    }

    /** The TernException behind {@code t}, unwrapped from completion wrappers; anything else becomes INTERNAL. */
    static TernException unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof TernException te) return te;
        if (t instanceof RejectedExecutionException) return new TernException(ErrorCode.STORE_CLOSED, "the engine is closed", t);
        return new TernException(ErrorCode.INTERNAL, "unexpected failure: " + t, t);
    }

    static boolean is(Throwable t, ErrorCode code) {
        return t != null && unwrap(t).code() == code;
    }

    /** Runs {@code op}; a synchronous throw becomes a failed future, so callers see one failure path. */
    static <T> CompletableFuture<T> guard(Supplier<CompletableFuture<T>> op) {
        try {
            return op.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(unwrap(e));
        }
    }

    static <T> T require(T value, String what) {
        if (value == null) throw TernException.invalid(what + " is required");
        return value;
    }
}
