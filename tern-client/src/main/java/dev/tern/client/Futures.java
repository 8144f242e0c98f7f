package dev.tern.client;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Waiting on the client's futures from blocking methods, with failures as the TernException they carry. */
final class Futures {

    private Futures() {
    }

    /** The future's value; every request has its own timeout, so this never waits forever. */
    static <T> T get(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw unwrap(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TernException(ErrorCode.CONNECTION, "interrupted while waiting for the server", e);
        }
    }

    /** The TernException behind a failure (CompletionException and ExecutionException unwrapped). */
    static TernException unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof TernException te) return te;
        return new TernException(ErrorCode.INTERNAL, "unexpected client failure: " + t, t);
    }

    static <T> CompletableFuture<T> failed(ErrorCode code, String message) {
        return CompletableFuture.failedFuture(new TernException(code, message));
    }
}
