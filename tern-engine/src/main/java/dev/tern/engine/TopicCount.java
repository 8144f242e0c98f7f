package dev.tern.engine;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.store.api.TopicCatalog;
import dev.tern.store.api.TopicInfo;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The topics of the node, counted so that creating one beyond {@code topic.max.count} fails with LIMIT_EXCEEDED
 * and leaves nothing behind. Every creation through the engine (explicit, on first send, by a gateway, a
 * dead-letter topic) takes a place first and gives it back if the store refuses; a deletion gives one back.
 * The count starts from the store's list and is taken again from it when the node looks full (at most once
 * a second: a flood of sends to new names at the limit costs one list per second, not one per send), so that
 * topics deleted past this engine free their places; a recount is only applied if no creation started or
 * was still running meanwhile, so the count never falls below what is there. Creations are rare: one
 * monitor guards the count.
 */
final class TopicCount {
    private static final long RECOUNT_NANOS = 1_000_000_000L;

    private final TopicCatalog catalog;
    private final int max;
    private int count; // guarded by this
    private int creating; // guarded by this: places taken whose creation has not finished
    private long taken; // guarded by this: places ever taken, so that a recount can tell none was taken meanwhile
    private long lastRecount = System.nanoTime() - RECOUNT_NANOS; // guarded by this

    /** Counts the store's topics (waits for its list: the engine starts over an open store). */
    TopicCount(TopicCatalog catalog, int max) {
        this.catalog = catalog;
        this.max = max;
        this.count = catalog.list().join().size();
    }

    /**
     * Runs {@code creation} in a place taken for {@code topic}; the place is given back if it fails. When the
     * node is full: TOPIC_EXISTS for a topic that exists (so a creator losing a race still finds it), else
     * LIMIT_EXCEEDED.
     */
    CompletableFuture<TopicInfo> create(String topic, Supplier<CompletableFuture<TopicInfo>> creation) {
        return reserve().thenCompose(ok -> {
            if (!ok) {
                return catalog.describe(topic).thenApply(found -> {
                    if (found.isPresent()) throw new TernException(ErrorCode.TOPIC_EXISTS, "topic '" + topic + "' already exists");
                    throw new TernException(ErrorCode.LIMIT_EXCEEDED, "topic '" + topic + "' not created: the node has its limit of "
                            + max + " topics (topic.max.count)");
                });
            }
            return Failures.guard(creation).whenComplete((info, e) -> finished(e == null));
        });
    }

    /** Takes a place; false when the node is full (after a recount, at most once a second). */
    private CompletableFuture<Boolean> reserve() {
        long takenBefore;
        synchronized (this) {
            if (tryTake()) return CompletableFuture.completedFuture(true);
            long now = System.nanoTime();
            if (creating > 0 || now - lastRecount < RECOUNT_NANOS) return CompletableFuture.completedFuture(false);
            lastRecount = now;
            takenBefore = taken;
        }
        return catalog.list().thenApply(all -> {
            synchronized (this) {
                if (creating == 0 && taken == takenBefore) count = all.size();
                return tryTake();
            }
        });
    }

    private boolean tryTake() { // holding this
        if (count >= max) return false;
        count++;
        creating++;
        taken++;
        return true;
    }

    private synchronized void finished(boolean created) {
        creating--;
        if (!created) count--;
    }

    /** Gives a place back: a topic was deleted. */
    synchronized void release() {
        count = Math.max(0, count - 1);
    }

    /** Topics counted now (for tests). */
    synchronized int count() {
        return count;
    }
}
