package dev.tern.client;

import dev.tern.common.error.TernException;
import dev.tern.store.api.Durability;

/**
 * Settings of a {@link Producer}, each with its default; {@link #validate()} checks them once.
 *
 * @param batchMaxBytes   the most message bytes in one SEND request ({@code batch.max.bytes}, default 256 KiB);
 *                        a larger single message is sent alone
 * @param lingerMs        how long a message may wait for others to share its batch ({@code linger.ms},
 *                        default 0: sent at once, but messages that arrive while a batch of the same queue is
 *                        in flight still travel together in the next one)
 * @param retries         how many times a batch that failed with a retriable error is sent again
 *                        ({@code retries}, default 3); a retry after TIMEOUT may store the batch twice
 * @param retryBackoffMs  the wait before the first retry, doubled for each next one up to 5 s
 *                        ({@code retry.backoff.ms}, default 100)
 * @param durability      ASYNC or SYNC for every send of this producer; null means the server's
 *                        {@code store.flush} default ({@code durability}, default null)
 * @param maxInFlightUnordered batches in flight at once for messages without key or queue (which have no
 *                        order to keep); keyed and explicit-queue messages keep one batch in flight per key or
 *                        queue so that their order holds even across retries (default 4)
 * @param idempotent      number each message with this producer's id and a sequence per queue, so that the server
 *                        stores a retried batch once, also across its restarts ({@code idempotence}, default false).
 *                        The producer then picks every queue itself (by key with the server's hash, else in turn;
 *                        it asks the server for a topic's queue count on the first send) and keeps one batch in
 *                        flight per queue. Delayed messages are not numbered.
 */
public record ProducerConfig(int batchMaxBytes, long lingerMs, int retries, long retryBackoffMs, Durability durability,
                             int maxInFlightUnordered, boolean idempotent) {

    public static ProducerConfig defaults() {
        return new ProducerConfig(256 * 1024, 0, 3, 100, null, 4, false);
    }

    public ProducerConfig validate() {
        if (batchMaxBytes < 1024) throw TernException.invalid("batch.max.bytes must be at least 1024, got " + batchMaxBytes);
        if (lingerMs < 0) throw TernException.invalid("linger.ms cannot be negative, got " + lingerMs);
        if (retries < 0) throw TernException.invalid("retries cannot be negative, got " + retries);
        if (retryBackoffMs < 0) throw TernException.invalid("retry.backoff.ms cannot be negative, got " + retryBackoffMs);
        if (maxInFlightUnordered < 1) throw TernException.invalid("max in flight must be positive, got " + maxInFlightUnordered);
        return this;
    }

    RetryPolicy retryPolicy() {
        return new RetryPolicy(retries, retryBackoffMs, Math.max(retryBackoffMs, 5_000));
    }

    public ProducerConfig withBatchMaxBytes(int v) {
        return new ProducerConfig(v, lingerMs, retries, retryBackoffMs, durability, maxInFlightUnordered, idempotent);
    }

    public ProducerConfig withLingerMs(long v) {
        return new ProducerConfig(batchMaxBytes, v, retries, retryBackoffMs, durability, maxInFlightUnordered, idempotent);
    }

    public ProducerConfig withRetries(int v) {
        return new ProducerConfig(batchMaxBytes, lingerMs, v, retryBackoffMs, durability, maxInFlightUnordered, idempotent);
    }

    public ProducerConfig withRetryBackoffMs(long v) {
        return new ProducerConfig(batchMaxBytes, lingerMs, retries, v, durability, maxInFlightUnordered, idempotent);
    }

    public ProducerConfig withDurability(Durability v) {
        return new ProducerConfig(batchMaxBytes, lingerMs, retries, retryBackoffMs, v, maxInFlightUnordered, idempotent);
    }

    public ProducerConfig withMaxInFlightUnordered(int v) {
        return new ProducerConfig(batchMaxBytes, lingerMs, retries, retryBackoffMs, durability, v, idempotent);
    }

    public ProducerConfig withIdempotence(boolean v) {
        return new ProducerConfig(batchMaxBytes, lingerMs, retries, retryBackoffMs, durability, maxInFlightUnordered, v);
    }
}
