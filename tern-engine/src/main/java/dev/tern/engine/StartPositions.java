package dev.tern.engine;

import dev.tern.store.api.MessageStore;
import dev.tern.store.api.QueueRange;

import java.util.concurrent.CompletableFuture;

/** Resolving a {@link StartPosition} against a queue. */
final class StartPositions {

    private StartPositions() {
    }

    /** Earliest: the queue's minOffset; Latest: its nextOffset; AtTime: the first offset stored at or after the time. */
    static CompletableFuture<Long> resolve(MessageStore store, StartPosition start, String topic, int queue) {
        return switch (start) {
            case StartPosition.Earliest e -> store.log().range(topic, queue).thenApply(QueueRange::minOffset);
            case StartPosition.Latest l -> store.log().range(topic, queue).thenApply(QueueRange::nextOffset);
            case StartPosition.AtTime t -> store.lookup().offsetForTime(topic, queue, t.timestamp());
        };
    }
}
