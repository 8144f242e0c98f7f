package dev.tern.engine;

import dev.tern.common.message.Message;
import dev.tern.store.api.Durability;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Transactional messages (RocketMQ's half messages): {@link #prepare} keeps a batch aside, in the store's
 * metadata area and never in the log, so no pull, pop, lookup or gateway can see it; {@link #end} commits
 * it (appends it to its queue, exactly once) or rolls it back (drops it). A transaction whose producer
 * says nothing for {@link TransactionConfig#checkTimeoutMs()} is offered back to its producer group by
 * {@link #pollChecks} (check-back, a long poll: the native protocol has no server-initiated frames); after
 * {@link TransactionConfig#checkMax()} check-backs without an outcome, or once older than
 * {@link TransactionConfig#maxAgeMs()}, the engine rolls it back itself. Everything, including commits
 * under way, survives a restart.
 * <p>
 * A transaction's id is 32 hex digits that sort by prepare time. The outcome of an ended transaction is
 * kept for {@link #OUTCOME_RETENTION_MS} after its prepare, so that a retried {@code end} with the same
 * outcome answers as the first did. Futures fail with TernExceptions: INVALID_ARGUMENT, TOPIC_NOT_FOUND,
 * QUEUE_NOT_FOUND, MESSAGE_TOO_LARGE, TRANSACTION_NOT_FOUND, STORE_CLOSED...
 */
public interface Transactions {

    /** How long the outcome of an ended transaction is remembered, counted from its prepare. */
    long OUTCOME_RETENTION_MS = 24L * 3600 * 1000;

    /** The property a committed message carries: the id of its transaction. */
    String TXN_ID_PROPERTY = "tern.txn.id";

    enum Outcome { COMMIT, ROLLBACK }

    /**
     * Keeps {@code batch} for one queue of {@code topic} (chosen now by {@code target}) as a pending
     * transaction of {@code producerGroup}; answers its id. Delayed messages ({@link Message#DELIVER_AT})
     * are allowed: on commit they go to the timer store. Idempotent-producer fields (producer id, sequence)
     * are refused (INVALID_ARGUMENT): the transaction id already makes the commit exactly-once. The topic
     * must exist (or be auto-created). {@code durability} null means the engine's default; commit and
     * rollback use the prepare's.
     */
    CompletableFuture<String> prepare(String producerGroup, String topic, QueueTarget target, List<Message> batch, Durability durability);

    /**
     * Commits (answering where each message was stored; offset -1 for delayed ones, as for a delayed send)
     * or rolls back (answering an empty list) a pending transaction. Repeating an end with the outcome the
     * transaction got answers the same; the other outcome, or an unknown id, fails with TRANSACTION_NOT_FOUND
     * naming what happened. A commit that was under way when the node stopped is finished, never doubled.
     */
    CompletableFuture<List<SendResult>> end(String transactionId, Outcome outcome);

    /**
     * Up to {@code max} (1 to 1000) pending transactions of {@code producerGroup} due for a check-back,
     * oldest first; each is marked checked once more and offered again only after
     * {@link TransactionConfig#checkIntervalMs()}. When none is due, waits up to {@code maxWait} (capped by
     * {@code pull.max.wait.ms}) for one to become due, then answers an empty list. Cancelling the future
     * gives up the wait.
     */
    CompletableFuture<List<PendingTransaction>> pollChecks(String producerGroup, int max, Duration maxWait);

    /** Up to {@code limit} (1 to 1000) pending transactions, oldest first; of one producer group unless it is null. */
    CompletableFuture<List<PendingTransaction>> pending(String producerGroup, int limit);
}
