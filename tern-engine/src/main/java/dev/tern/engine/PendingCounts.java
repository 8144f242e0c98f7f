package dev.tern.engine;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.store.api.MetadataStore;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps each producer group within {@code txn.max.pending} transactions prepared and not yet ended. Every such
 * transaction has one check entry in the metadata area ({@link TxnKeys#checkPrefix}), so the exact count is a
 * bounded scan; to avoid one per prepare, an upper bound is kept per recently seen group and raised by every
 * prepare, never lowered: only when it reaches the limit (or the group is not cached) is the group counted
 * again. So a prepare is refused only after an exact count, and a steady group is counted about once every
 * {@code limit − pending} prepares. The bounds of at most {@link #GROUPS} groups are cached.
 */
final class PendingCounts {
    static final int GROUPS = 10_000;

    private final MetadataStore metadata;
    private final int max;
    private final LruCache<String, AtomicInteger> bounds = new LruCache<>(GROUPS, b -> 1);

    PendingCounts(MetadataStore metadata, int max) {
        this.metadata = metadata;
        this.max = max;
    }

    /** Completes when {@code group} may prepare one more transaction; fails with LIMIT_EXCEEDED when it has {@code max} pending. */
    CompletableFuture<Void> admit(String group) {
        AtomicInteger bound = bounds.get(group);
        if (bound != null && bound.incrementAndGet() <= max) return CompletableFuture.completedFuture(null);
        byte[] prefix = TxnKeys.checkPrefix(group);
        return metadata.scan(prefix, TxnKeys.end(prefix), max).thenAccept(entries -> {
            if (entries.size() >= max) {
                throw new TernException(ErrorCode.LIMIT_EXCEEDED, "producer group '" + group + "' has " + entries.size()
                        + " transactions prepared and not ended, the most txn.max.pending allows: commit or roll some back first");
            }
            bounds.put(group, new AtomicInteger(entries.size() + 1));
        });
    }
}
