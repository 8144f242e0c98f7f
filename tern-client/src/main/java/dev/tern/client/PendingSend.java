package dev.tern.client;

import dev.tern.common.message.Message;
import dev.tern.engine.SendResult;

import java.util.concurrent.CompletableFuture;

/** A message waiting in a producer lane, with its estimated size, arrival time and the caller's future. */
record PendingSend(Message message, int size, long enqueuedNanos, CompletableFuture<SendResult> future) {
}
