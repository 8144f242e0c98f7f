package dev.tern.engine;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Runs asynchronous steps one after another per key: a step starts once the previous step of its key has
 * completed (either way); steps of different keys run concurrently. The map holds only keys with a step
 * in flight.
 */
final class KeyedChain<K> {
    private final Map<K, CompletableFuture<?>> last = new HashMap<>(); // guarded by this

    <T> CompletableFuture<T> run(K key, Supplier<CompletableFuture<T>> step) {
        CompletableFuture<Void> turn = new CompletableFuture<>();
        CompletableFuture<T> done = turn.thenCompose(v -> step.get());
        CompletableFuture<?> before;
        synchronized (this) {
            before = last.put(key, done);
        }
        done.whenComplete((x, e) -> {
            synchronized (this) {
                last.remove(key, done);
            }
        });
        // started outside the lock: a step that completes at once must not run while it is held
        if (before == null) turn.complete(null);
        else before.whenComplete((x, e) -> turn.complete(null));
        return done;
    }
}
