package dev.tern.store.memory;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Runs each store operation on the caller's thread and hands its outcome back as a completed future,
 * so that every failure reaches the caller the way the SPI promises: as a failed future, never a throw.
 * Refuses work once the store is closed.
 */
final class Gate {
    private volatile boolean closed;

    <T> CompletableFuture<T> call(Supplier<T> operation) {
        if (closed) return CompletableFuture.failedFuture(closedException());
        try {
            return CompletableFuture.completedFuture(operation.get());
        } catch (TernException e) {
            return CompletableFuture.failedFuture(e);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new TernException(ErrorCode.INTERNAL, "memory store failed: " + e, e));
        }
    }

    CompletableFuture<Void> run(Runnable operation) {
        return call(() -> {
            operation.run();
            return null;
        });
    }

    /** For the few operations that return no future. */
    void checkOpen() {
        if (closed) throw closedException();
    }

    private static TernException closedException() {
        return new TernException(ErrorCode.STORE_CLOSED, "the store is closed");
    }

    void close() {
        closed = true;
    }
}
