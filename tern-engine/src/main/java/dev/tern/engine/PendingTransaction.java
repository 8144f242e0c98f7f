package dev.tern.engine;

import dev.tern.common.message.Message;

import java.util.List;

/**
 * A transaction prepared and not ended yet, as {@link Transactions#pollChecks} and
 * {@link Transactions#pending} report it.
 *
 * @param id            the transaction id
 * @param producerGroup the producer group that prepared it and answers its check-backs
 * @param topic         where a commit stores the messages
 * @param queue         the queue chosen at prepare
 * @param prepareTimeMs when it was prepared (epoch ms, engine clock)
 * @param checks        check-backs handed out so far
 * @param committing    true when a commit is under way (it will be finished, never rolled back)
 * @param messages      the batch as prepared
 */
public record PendingTransaction(String id, String producerGroup, String topic, int queue, long prepareTimeMs, int checks,
                                 boolean committing, List<Message> messages) {
    public PendingTransaction {
        messages = List.copyOf(messages);
    }
}
