package dev.tern.engine;

import dev.tern.common.error.TernException;
import dev.tern.engine.sql.SqlLimits;

/**
 * Bounds on the state that clients make the engine hold, so that no client can exhaust the node's heap,
 * stack or time: the filters of pulls, the de-duplication state of idempotent producers, the live members and
 * subscriptions of consumer groups, and the pending transactions of a producer group. A request over a limit
 * fails with an error that names the limit and its configuration key (LIMIT_EXCEEDED, or INVALID_ARGUMENT for
 * a filter); state that only caches what the store keeps is bounded by evicting it instead.
 *
 * @param filters               length, nesting and IN lists of filters ({@code filter.*})
 * @param dedupExpiryMs         an idempotent producer's state for a queue is removed once the producer has not sent
 *                              to it for this long ({@code producer.dedup.expiry.ms}, default 1 day)
 * @param dedupCacheBytes       heap the de-duplication state may hold; beyond it the least recently used entries are
 *                              dropped from memory and read back from the store when needed ({@code producer.dedup.cache.bytes},
 *                              default 32 MiB)
 * @param groupMaxMembers       live members of one consumer group ({@code group.max.members}, default 10000)
 * @param groupMaxSubscriptions live (member, topic) subscriptions over all groups of the node ({@code group.max.subscriptions},
 *                              default 100000)
 * @param txnMaxPending         transactions of one producer group prepared and not yet ended ({@code txn.max.pending},
 *                              default 10000)
 */
public record ClientLimits(SqlLimits filters, long dedupExpiryMs, long dedupCacheBytes, int groupMaxMembers,
                           int groupMaxSubscriptions, int txnMaxPending) {
    /** One day: Kafka's {@code producer.id.expiration.ms} since KIP-854. */
    public static final long DEFAULT_DEDUP_EXPIRY_MS = 24L * 3600 * 1000;

    public static ClientLimits defaults() {
        return new ClientLimits(SqlLimits.DEFAULTS, DEFAULT_DEDUP_EXPIRY_MS, 32L << 20, 10_000, 100_000, 10_000);
    }

    public ClientLimits validate() {
        if (filters == null) throw TernException.invalid("filter limits are required");
        filters.validate();
        if (dedupExpiryMs < 1000) throw TernException.invalid("producer.dedup.expiry.ms must be at least 1000, got " + dedupExpiryMs);
        if (dedupCacheBytes < 0) throw TernException.invalid("producer.dedup.cache.bytes cannot be negative, got " + dedupCacheBytes);
        if (groupMaxMembers < 1) throw TernException.invalid("group.max.members must be at least 1, got " + groupMaxMembers);
        if (groupMaxSubscriptions < 1) throw TernException.invalid("group.max.subscriptions must be at least 1, got " + groupMaxSubscriptions);
        if (txnMaxPending < 1) throw TernException.invalid("txn.max.pending must be at least 1, got " + txnMaxPending);
        return this;
    }

    public ClientLimits withFilters(SqlLimits f) {
        return new ClientLimits(f, dedupExpiryMs, dedupCacheBytes, groupMaxMembers, groupMaxSubscriptions, txnMaxPending);
    }

    public ClientLimits withDedup(long expiryMs, long cacheBytes) {
        return new ClientLimits(filters, expiryMs, cacheBytes, groupMaxMembers, groupMaxSubscriptions, txnMaxPending);
    }

    public ClientLimits withGroups(int maxMembers, int maxSubscriptions) {
        return new ClientLimits(filters, dedupExpiryMs, dedupCacheBytes, maxMembers, maxSubscriptions, txnMaxPending);
    }

    public ClientLimits withTxnMaxPending(int max) {
        return new ClientLimits(filters, dedupExpiryMs, dedupCacheBytes, groupMaxMembers, groupMaxSubscriptions, max);
    }
}
