package dev.tern.client;

import dev.tern.common.message.Message;

import java.util.List;

/**
 * A pending transaction the broker asks about (check-back), or lists ({@link Admin#pendingTransactions}).
 *
 * @param transactionId the id {@link TransactionProducer#send} got at prepare
 * @param producerGroup the group whose producers answer for it
 * @param topic         where a commit stores the messages
 * @param queue         the queue chosen at prepare
 * @param prepareTimeMs when it was prepared (epoch ms, broker clock)
 * @param checks        check-backs handed out so far, this one included
 * @param committing    a commit is under way on the broker (it will be finished)
 * @param messages      the messages as prepared (each with the property {@code tern.txn.id})
 */
public record CheckedTransaction(String transactionId, String producerGroup, String topic, int queue, long prepareTimeMs, int checks,
                                 boolean committing, List<Message> messages) {

    static CheckedTransaction of(dev.tern.engine.PendingTransaction t) {
        return new CheckedTransaction(t.id(), t.producerGroup(), t.topic(), t.queue(), t.prepareTimeMs(), t.checks(), t.committing(), t.messages());
    }

    /** The first (for a single send, the only) message. */
    public Message message() {
        return messages.getFirst();
    }
}
