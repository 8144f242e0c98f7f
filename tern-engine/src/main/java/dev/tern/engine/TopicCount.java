package dev.tern.engine;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.store.api.TopicCatalog;
import dev.tern.store.api.TopicInfo;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The topics of the node, counted so that creating one beyond {@code topic.max.count} fails with LIMIT_EXCEEDED
 * and leaves nothing behind. Every creation through the engine (explicit, on first send, by a gateway, a
 * dead-letter topic) takes a place first and gives it back if the store refuses; a deletion gives one back.
 * The count starts from the store's list and is taken again from it when it says the node is full (at most
 * once a second: a flood of sends to new names at the limit costs one list per second, not one per send), so
 * topics created or deleted past this engine are seen too.
 */
final class TopicCount {
    private static final long RECOUNT_NANOS = 1_000_000_000L;

    private final TopicCatalog catalog;
    private final int max;
    private final AtomicInteger count = new AtomicInteger();
    private final AtomicLong lastRecount = new AtomicLong(System.nanoTime() - RECOUNT_NANOS);

    /** Counts the store's topics (waits for its list: the engine starts over an open store). */
    TopicCount(TopicCatalog catalog, int max) {
        this.catalog = catalog;
        this.max = max;
        count.set(catalog.list().join().size());
    }

    /**
     * Runs {@code creation} in a place taken for {@code topic}; the place is given back if it fails. When the
     * node is full: TOPIC_EXISTS for a topic that exists (so a creator losing a race still finds it), else
     * LIMIT_EXCEEDED.
     */
    CompletableFuture<TopicInfo> create(String topic, Supplier<CompletableFuture<TopicInfo>> creation) {
        return reserve().thenCompose(taken -> {
            if (!taken) {
                return catalog.describe(topic).thenApply(found -> {
                    if (found.isPresent()) throw new TernException(ErrorCode.TOPIC_EXISTS, "topic '" + topic + "' already exists");
                    throw new TernException(ErrorCode.LIMIT_EXCEEDED, "topic '" + topic + "' not created: the node has its limit of "
                            + max + " topics (topic.max.count)");
                });
            }
            return Failures.guard(creation).whenComplete((info, e) -> {
                if (e != null) release();
            });
        });
    }

    /** Takes a place; false when the node is full, counted again from the store at most once a second. */
    private CompletableFuture<Boolean> reserve() {
        if (tryTake()) return CompletableFuture.completedFuture(true);
        long last = lastRecount.get();
        long now = System.nanoTime();
        if (now - last < RECOUNT_NANOS || !lastRecount.compareAndSet(last, now)) return CompletableFuture.completedFuture(false);
        return catalog.list().thenApply(all -> {
            count.set(all.size());
            return tryTake();
        });
    }

    /** Gives a place back: the creation failed, or a topic was deleted. */
    void release() {
        count.updateAndGet(n -> Math.max(0, n - 1));
    }

    private boolean tryTake() {
        while (true) {
            int n = count.get();
            if (n >= max) return false;
            if (count.compareAndSet(n, n + 1)) return true;
        }
    }

    /** Topics counted now (for tests). */
    int count() {
        return count.get();
    }
}
