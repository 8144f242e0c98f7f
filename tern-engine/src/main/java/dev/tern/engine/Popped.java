package dev.tern.engine;

import dev.tern.common.message.StoredMessage;

/** A message handed out by a pop: the message, the receipt to ack or nack it with, and its attempt (1 for the first). */
public record Popped(StoredMessage message, Receipt receipt) {

    public int attempt() {
        return receipt.attempt();
    }
}
