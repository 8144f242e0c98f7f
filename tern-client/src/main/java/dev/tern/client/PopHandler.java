package dev.tern.client;

/**
 * Handles one message of a {@link PushPopConsumer}, on one of its handler threads, and says what becomes
 * of it: {@link Verdict#ACK} ends it; {@link Verdict#NACK} brings it back after the server's back-off (and,
 * out of attempts, sends it to {@code %DLQ%<group>}). A handler that throws, or returns null, nacks the
 * message. Handlers run concurrently on as many threads as the consumer has; with FIFO message groups the
 * server hands out one message of a group at a time, so a group's messages are still handled in order.
 */
@FunctionalInterface
public interface PopHandler {

    /** What becomes of a handled message. */
    enum Verdict { ACK, NACK }

    Verdict handle(PoppedMessage message) throws Exception;
}
