package dev.tern.engine;

import dev.tern.common.error.TernException;

/**
 * Settings of transactional messages ({@link Transactions}), validated with the engine's.
 *
 * @param checkTimeoutMs  a prepared transaction is first offered to check-back this long after its prepare
 *                        ({@code txn.check.timeout.ms}, default 6000, as RocketMQ's transaction timeout)
 * @param checkIntervalMs the wait between two check-backs of the same transaction ({@code txn.check.interval.ms},
 *                        default 10000): long enough for a producer to answer one before it is offered again
 * @param checkMax        check-backs without an outcome before the engine rolls the transaction back itself
 *                        ({@code txn.check.max}, default 15, as RocketMQ)
 * @param maxAgeMs        a transaction still pending this long after its prepare is rolled back even if it was
 *                        never checked, e.g. because no producer of its group came back ({@code txn.max.age.ms},
 *                        default 1 hour)
 */
public record TransactionConfig(long checkTimeoutMs, long checkIntervalMs, int checkMax, long maxAgeMs) {

    public static TransactionConfig defaults() {
        return new TransactionConfig(6_000, 10_000, 15, 3_600_000);
    }

    public TransactionConfig validate() {
        if (checkTimeoutMs < 0) throw TernException.invalid("txn.check.timeout.ms cannot be negative, got " + checkTimeoutMs);
        if (checkIntervalMs < 1) throw TernException.invalid("txn.check.interval.ms must be at least 1, got " + checkIntervalMs);
        if (checkMax < 1) throw TernException.invalid("txn.check.max must be at least 1, got " + checkMax);
        if (maxAgeMs <= checkTimeoutMs) {
            throw TernException.invalid("txn.max.age.ms (" + maxAgeMs + ") must be above txn.check.timeout.ms (" + checkTimeoutMs + ")");
        }
        return this;
    }
}
