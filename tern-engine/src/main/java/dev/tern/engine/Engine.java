package dev.tern.engine;

import dev.tern.common.message.Message;
import dev.tern.store.api.Durability;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Tern's messaging engine: every semantic once, independent of protocol. Gateways (the native protocol,
 * MQTT, CoAP, RocketMQ) translate their frames into these calls and nothing more. The engine keeps
 * everything that must survive a restart in the store; it holds only caches and live sessions (group
 * members, waiting pulls).
 * <p>
 * Thread-safe. Futures fail with {@link dev.tern.common.error.TernException}s from the error catalogue.
 * Futures never complete on a store writer thread: callers may chain work on them.
 */
public interface Engine extends AutoCloseable {

    /** Topic administration. */
    TopicAdmin topics();

    /**
     * Stores a batch on one queue of a topic, chosen by {@code target}; all messages of the batch go to
     * the same queue (for {@link QueueTarget.ByKey}, the queue of the key). {@code durability} null means
     * the engine's configured default ({@code store.flush}). Fails with TOPIC_NOT_FOUND unless topic
     * auto-creation is on ({@code topic.auto.create}), MESSAGE_TOO_LARGE, INVALID_ARGUMENT, STORAGE_FULL...
     */
    CompletableFuture<List<SendResult>> send(String topic, QueueTarget target, List<Message> batch, Durability durability);

    /**
     * Reads one queue from an offset. When nothing is there yet, waits up to {@code request.maxWait()}
     * (capped by {@code pull.max.wait.ms}; null means zero) for new messages (long polling) instead of
     * returning at once, and answers NO_MESSAGES if none came. A tag-filtered pull that skipped messages
     * answers with the advanced {@link PullResult#nextOffset()}. Cancelling the future gives up the wait.
     * Fails with INVALID_ARGUMENT for a bad tag expression (naming the position), TOPIC_NOT_FOUND,
     * QUEUE_NOT_FOUND. The result must be closed.
     */
    CompletableFuture<PullResult> pull(PullRequest request);

    /** Consumer groups: membership, queue assignment, committed offsets, lag. */
    GroupCoordinator groups();

    /** Lookups: a message by id, messages by key, the offset of a point in time. */
    MessageQuery lookups();

    /**
     * Per-message acknowledgement (pop, ack, nack with visibility timeout, retry back-off, dead letters).
     * A default that refuses, so that engines written before it (test seams, decorators) still compile.
     */
    default AckConsumer acks() {
        throw new UnsupportedOperationException("this engine has no per-message acknowledgement");
    }

    /**
     * Transactional messages: prepare, commit or roll back, check-back. A default that refuses, like
     * {@link #acks()}.
     */
    default Transactions transactions() {
        throw new UnsupportedOperationException("this engine has no transactional messages");
    }

    /**
     * Ends group sessions and waiting pulls (they fail with STORE_CLOSED, as does every later call); does
     * not close the store (its owner does). Idempotent.
     */
    @Override
    void close();
}
