package dev.tern.client;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.common.message.Message;
import dev.tern.engine.PendingTransaction;
import dev.tern.engine.QueueTarget;
import dev.tern.engine.SendResult;
import dev.tern.engine.Transactions;
import dev.tern.protocol.Request;
import dev.tern.protocol.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Sends transactional messages for one producer group (RocketMQ's {@code TransactionMQProducer}):
 * {@link #send(String, Message, Object)} prepares the message (the broker keeps it invisible), runs the
 * listener's {@link TransactionListener#execute}, and commits or rolls back by its answer; UNKNOWN (or an
 * exception, or null) leaves the transaction pending. While the producer is open, its check-back thread
 * ({@code tern-txn-check-<group>}) long-polls the broker for the group's transactions whose outcome the
 * broker has not had for {@code txn.check.timeout.ms}, asks {@link TransactionListener#check}, and ends
 * them. Any producer of the group may answer, so a new producer after a crash settles what the old one
 * left. Thread-safe; get one from {@link TernClient#transactionProducer}.
 *
 * <pre>{@code
 * try (TransactionProducer p = client.transactionProducer("orders-service", listener)) {
 *     TransactionSendResult r = p.send("orders", Message.of("order 42 paid"), order);
 * }
 * }</pre>
 */
public final class TransactionProducer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TransactionProducer.class);
    /** The longest one check-back poll waits on the broker (it may cap it by {@code pull.max.wait.ms}). */
    static final int CHECK_POLL_WAIT_MS = 5_000;
    static final int CHECK_POLL_MAX = 32;
    private static final long RETRY_MS = 500;

    private final Connection connection;
    private final String group;
    private final TransactionListener listener;
    private final Runnable onClose;
    private final Thread checker;
    private volatile boolean closed;
    private volatile CompletableFuture<?> polling;

    TransactionProducer(Connection connection, String group, TransactionListener listener, Runnable onClose) {
        if (group == null || group.isBlank()) throw TernException.invalid("a transaction producer needs a producer group");
        this.connection = connection;
        this.group = group;
        this.listener = Objects.requireNonNull(listener, "listener");
        this.onClose = onClose;
        this.checker = new Thread(this::answerChecks, "tern-txn-check-" + group);
        checker.setDaemon(true);
        checker.start();
    }

    public String producerGroup() {
        return group;
    }

    /** Sends to the queue of the message's first key, or to the next queue in turn when it has none. */
    public TransactionSendResult send(String topic, Message message, Object arg) {
        Objects.requireNonNull(message, "message");
        return send(topic, message.keys().isEmpty() ? QueueTarget.roundRobin() : QueueTarget.key(message.keys().getFirst()), message, arg);
    }

    /** Sends to one queue. */
    public TransactionSendResult send(String topic, int queue, Message message, Object arg) {
        return send(topic, QueueTarget.queue(queue), message, arg);
    }

    private TransactionSendResult send(String topic, QueueTarget target, Message message, Object arg) {
        if (closed) throw new TernException(ErrorCode.INVALID_ARGUMENT, "the transaction producer is closed");
        Objects.requireNonNull(topic, "topic");
        String id = Futures.get(connection.call(new Request.TxnPrepare(group, topic, target, null, List.of(message)), Response.TxnPrepared.class))
                .transactionId();
        LocalOutcome outcome;
        try {
            outcome = listener.execute(message, arg);
        } catch (RuntimeException e) {
            LOG.warn("the local transaction of {} failed; its outcome is left to check-back", id, e);
            outcome = null;
        }
        if (outcome == null) outcome = LocalOutcome.UNKNOWN;
        return new TransactionSendResult(id, outcome, outcome == LocalOutcome.UNKNOWN ? List.of() : end(id, outcome));
    }

    /**
     * Ends a transaction; when the end cannot be delivered (connection, timeout) it stays pending and the
     * broker's check-back settles it, so that is not an error here.
     */
    private List<SendResult> end(String id, LocalOutcome outcome) {
        Transactions.Outcome o = outcome == LocalOutcome.COMMIT ? Transactions.Outcome.COMMIT : Transactions.Outcome.ROLLBACK;
        try {
            return Futures.get(connection.call(new Request.TxnEnd(id, o), Response.TxnEnded.class)).results();
        } catch (TernException e) {
            if (!e.retriable()) throw e;
            LOG.warn("could not end transaction {} ({}); check-back will: {}", id, o, e.getMessage());
            return List.of();
        }
    }

    /** The check-back thread: poll, ask the listener, end; after a failure (broker down) wait a little and poll again. */
    private void answerChecks() {
        while (!closed) {
            try {
                CompletableFuture<Response.PendingTransactions> poll = connection.call(
                        new Request.TxnCheckPoll(group, CHECK_POLL_MAX, CHECK_POLL_WAIT_MS), Response.PendingTransactions.class, CHECK_POLL_WAIT_MS);
                polling = poll;
                if (closed) poll.cancel(false);
                for (PendingTransaction t : Futures.get(poll).transactions()) answer(CheckedTransaction.of(t));
            } catch (RuntimeException e) {
                if (closed) return;
                LOG.debug("check-back poll of group {} failed; polling again in {} ms: {}", group, RETRY_MS, e.toString());
                sleep();
            }
        }
    }

    private void answer(CheckedTransaction t) {
        LocalOutcome outcome;
        try {
            outcome = listener.check(t);
        } catch (RuntimeException e) {
            LOG.warn("checking transaction {} failed; the broker asks again later", t.transactionId(), e);
            return;
        }
        if (outcome == null || outcome == LocalOutcome.UNKNOWN) return;
        try {
            end(t.transactionId(), outcome);
        } catch (TernException e) {
            // ended meanwhile by another producer of the group, or rolled back by the broker
            LOG.info("check-back answer {} for transaction {} not taken: {}", outcome, t.transactionId(), e.getMessage());
        }
    }

    private void sleep() {
        try {
            Thread.sleep(RETRY_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    /** Stops answering check-backs (pending transactions wait for another producer of the group). Idempotent. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        CompletableFuture<?> p = polling;
        if (p != null) p.cancel(false);
        checker.interrupt();
        try {
            checker.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            onClose.run();
        }
    }
}
