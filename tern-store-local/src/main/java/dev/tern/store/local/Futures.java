package dev.tern.store.local;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** Runs a synchronous operation and hands its outcome, value or exception, back as a future. */
final class Futures {
    private Futures() {
    }

    static <T> CompletableFuture<T> call(Supplier<T> op) {
        try {
            return CompletableFuture.completedFuture(op.get());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    static CompletableFuture<Void> run(Runnable op) {
        try {
            op.run();
            return CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
