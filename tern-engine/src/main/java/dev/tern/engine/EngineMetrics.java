package dev.tern.engine;

import dev.tern.common.error.ErrorCode;

/**
 * What the engine reports about its traffic, for a metrics registry to count (the server binds it to
 * Micrometer). Every method has a no-op default, so an implementation overrides only what it records.
 * <p>
 * Called on the engine's worker threads ({@code tern-engine-N}), concurrently: implementations must be
 * thread-safe, quick and must not throw (a throwing hook is logged and otherwise ignored).
 */
public interface EngineMetrics {

    /** Records nothing. */
    EngineMetrics NONE = new EngineMetrics() {
    };

    /**
     * A batch was stored.
     *
     * @param bodyBytes    the sum of the messages' body sizes (the payload, not the encoded records)
     * @param latencyNanos from the engine receiving the send to the store confirming it at the asked durability
     */
    default void sent(String topic, int messages, long bodyBytes, long latencyNanos) {
    }

    /**
     * A send failed with {@code code} (for example TOPIC_NOT_FOUND, MESSAGE_TOO_LARGE, STORAGE_FULL, LIMIT_EXCEEDED).
     * {@code topic} is whatever the client named, existing or not: never a meter's tag, or every unknown name
     * would make one.
     */
    default void sendFailed(String topic, ErrorCode code) {
    }

    /** A topic was deleted: meters tagged with it can go. */
    default void topicDeleted(String topic) {
    }

    /**
     * A pull returned records.
     *
     * @param recordBytes the size of the stored records handed out (what goes on the wire)
     */
    default void pulled(String topic, int messages, long recordBytes) {
    }

    /** A group's assignment changed; {@code generation} is its new generation. */
    default void rebalanced(String group, long generation) {
    }

    /** A transaction was prepared for {@code topic}. */
    default void transactionPrepared(String topic) {
    }

    /** A transaction for {@code topic} ended; {@code byBroker} when the engine rolled it back itself (check-backs ran out, too old). */
    default void transactionEnded(String topic, dev.tern.engine.Transactions.Outcome outcome, boolean byBroker) {
    }

    /** {@code count} check-backs were handed out to a producer of {@code producerGroup}. */
    default void transactionChecks(String producerGroup, int count) {
    }
}
