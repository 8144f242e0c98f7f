package dev.tern.engine;

import dev.tern.common.Clock;
import dev.tern.common.error.TernException;
import dev.tern.store.api.Durability;

/**
 * Settings of the engine, each with its default and validated once ({@link #validate()}).
 *
 * @param defaultDurability      flush level of sends that do not choose one ({@code store.flush}: async | sync; default async)
 * @param autoCreateTopics       create a topic on first send ({@code topic.auto.create}, default false)
 * @param autoCreateQueues       queues of an auto-created topic ({@code topic.auto.create.queues}, default 4)
 * @param sessionTimeoutMs       a member missing heartbeats this long leaves its group ({@code group.session.timeout.ms}, default 10000)
 * @param maxPullWaitMs          the longest a pull or a pop may wait for new messages ({@code pull.max.wait.ms}, default 30000)
 * @param clock                  the clock seam
 * @param maxDelayMs             how far ahead a delayed message may be due ({@code delay.max.ms}, default 40 days)
 * @param ackMaxAttempts         hand-outs of a popped message before it goes to the dead-letter topic ({@code ack.max.attempts}, default 16)
 * @param ackRetryBackoffMs      the wait before a nacked message comes back, doubled per attempt up to 10 minutes
 *                               ({@code ack.retry.backoff.ms}, default 1000)
 * @param transactions           check-back and expiry of transactional messages ({@code txn.*})
 * @param limits                 bounds on topics, queues and waiting long polls ({@code topic.max.*}, {@code pull.max.waiting})
 * @param clientLimits           bounds on the state clients make the engine hold ({@link ClientLimits})
 */
public record EngineConfig(Durability defaultDurability, boolean autoCreateTopics, int autoCreateQueues,
                           long sessionTimeoutMs, long maxPullWaitMs, Clock clock, long maxDelayMs,
                           int ackMaxAttempts, long ackRetryBackoffMs, TransactionConfig transactions,
                           EngineLimits limits, ClientLimits clientLimits) {
    /** 40 days, the default horizon of delayed messages. */
    public static final long DEFAULT_MAX_DELAY_MS = 40L * 24 * 3600 * 1000;

    public static EngineConfig defaults() {
        return new EngineConfig(Durability.ASYNC, false, 4, 10_000, 30_000, Clock.SYSTEM, DEFAULT_MAX_DELAY_MS, 16, 1000, TransactionConfig.defaults(), EngineLimits.defaults(), ClientLimits.defaults());
    }

    public EngineConfig validate() {
        if (defaultDurability == null) throw TernException.invalid("store.flush must be async or sync");
        if (autoCreateQueues < 1 || autoCreateQueues > 1024) throw TernException.invalid("topic.auto.create.queues must be 1 to 1024, got " + autoCreateQueues);
        if (sessionTimeoutMs < 100) throw TernException.invalid("group.session.timeout.ms must be at least 100, got " + sessionTimeoutMs);
        if (maxPullWaitMs < 0) throw TernException.invalid("pull.max.wait.ms cannot be negative, got " + maxPullWaitMs);
        if (clock == null) throw TernException.invalid("clock is required");
        if (maxDelayMs < 1) throw TernException.invalid("delay.max.ms must be at least 1, got " + maxDelayMs);
        if (ackMaxAttempts < 1) throw TernException.invalid("ack.max.attempts must be at least 1, got " + ackMaxAttempts);
        if (ackRetryBackoffMs < 0) throw TernException.invalid("ack.retry.backoff.ms cannot be negative, got " + ackRetryBackoffMs);
        if (transactions == null) throw TernException.invalid("transaction settings are required");
        transactions.validate();
        if (clientLimits == null) throw TernException.invalid("client limits are required");
        clientLimits.validate();
        if (limits == null) throw TernException.invalid("limits are required");
        limits.validate();
        if (autoCreateQueues > limits.maxQueues()) {
            throw TernException.invalid("topic.auto.create.queues (" + autoCreateQueues + ") cannot exceed topic.max.queues (" + limits.maxQueues() + ")");
        }
        return this;
    }

    public EngineConfig withDefaultDurability(Durability d) {
        return new EngineConfig(d, autoCreateTopics, autoCreateQueues, sessionTimeoutMs, maxPullWaitMs, clock, maxDelayMs, ackMaxAttempts, ackRetryBackoffMs, transactions, limits, clientLimits);
    }

    public EngineConfig withAutoCreateTopics(boolean on, int queues) {
        return new EngineConfig(defaultDurability, on, queues, sessionTimeoutMs, maxPullWaitMs, clock, maxDelayMs, ackMaxAttempts, ackRetryBackoffMs, transactions, limits, clientLimits);
    }

    public EngineConfig withSessionTimeoutMs(long ms) {
        return new EngineConfig(defaultDurability, autoCreateTopics, autoCreateQueues, ms, maxPullWaitMs, clock, maxDelayMs, ackMaxAttempts, ackRetryBackoffMs, transactions, limits, clientLimits);
    }

    public EngineConfig withMaxPullWaitMs(long ms) {
        return new EngineConfig(defaultDurability, autoCreateTopics, autoCreateQueues, sessionTimeoutMs, ms, clock, maxDelayMs, ackMaxAttempts, ackRetryBackoffMs, transactions, limits, clientLimits);
    }

    public EngineConfig withClock(Clock c) {
        return new EngineConfig(defaultDurability, autoCreateTopics, autoCreateQueues, sessionTimeoutMs, maxPullWaitMs, c, maxDelayMs, ackMaxAttempts, ackRetryBackoffMs, transactions, limits, clientLimits);
    }

    public EngineConfig withMaxDelayMs(long ms) {
        return new EngineConfig(defaultDurability, autoCreateTopics, autoCreateQueues, sessionTimeoutMs, maxPullWaitMs, clock, ms, ackMaxAttempts, ackRetryBackoffMs, transactions, limits, clientLimits);
    }

    public EngineConfig withAck(int maxAttempts, long retryBackoffMs) {
        return new EngineConfig(defaultDurability, autoCreateTopics, autoCreateQueues, sessionTimeoutMs, maxPullWaitMs, clock, maxDelayMs,
                maxAttempts, retryBackoffMs, transactions, limits, clientLimits);
    }

    public EngineConfig withTransactions(TransactionConfig t) {
        return new EngineConfig(defaultDurability, autoCreateTopics, autoCreateQueues, sessionTimeoutMs, maxPullWaitMs, clock, maxDelayMs,
                ackMaxAttempts, ackRetryBackoffMs, t, limits, clientLimits);
    }

    public EngineConfig withClientLimits(ClientLimits l) {
        return new EngineConfig(defaultDurability, autoCreateTopics, autoCreateQueues, sessionTimeoutMs, maxPullWaitMs, clock, maxDelayMs,
                ackMaxAttempts, ackRetryBackoffMs, transactions, limits, l);
    }

    public EngineConfig withLimits(EngineLimits l) {
        return new EngineConfig(defaultDurability, autoCreateTopics, autoCreateQueues, sessionTimeoutMs, maxPullWaitMs, clock, maxDelayMs,
                ackMaxAttempts, ackRetryBackoffMs, transactions, l, clientLimits);
    }
}
