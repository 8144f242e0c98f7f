package dev.tern.client;

import dev.tern.engine.SendResult;

import java.util.List;

/**
 * What {@link TransactionProducer#send} did: the transaction's id, the local outcome, and, once committed,
 * where the message was stored ({@code results} is empty otherwise, and when the end could not be
 * delivered: check-back then settles it).
 */
public record TransactionSendResult(String transactionId, LocalOutcome outcome, List<SendResult> results) {
    public TransactionSendResult {
        results = List.copyOf(results);
    }
}
