package dev.tern.client;

import dev.tern.common.message.Message;

/**
 * The producer's side of a transactional message (RocketMQ's {@code TransactionListener}). Both methods run
 * on the producer's threads: {@link #execute} on the thread that called
 * {@link TransactionProducer#send(String, Message, Object)}, {@link #check} on the producer's check-back
 * thread. A method that throws, or returns null, counts as {@link LocalOutcome#UNKNOWN}: the broker asks
 * again after {@code txn.check.interval.ms}, up to {@code txn.check.max} times, then rolls back.
 */
public interface TransactionListener {

    /** Runs the local transaction after the message was prepared (kept invisible by the broker). */
    LocalOutcome execute(Message message, Object arg);

    /**
     * The broker asks how a transaction ended whose outcome it did not get (UNKNOWN, a lost end, a crash).
     * It may also ask about a transaction whose prepare answer was lost, so that {@link #execute} never ran
     * for it: answer ROLLBACK when the local side has no record of the message.
     */
    LocalOutcome check(CheckedTransaction transaction);
}
