package dev.tern.client;

import dev.tern.engine.TopicQueue;

import java.util.ArrayDeque;

/**
 * A consumer's state for one assigned queue. Offsets are "next offset" values (-1: unknown). Not
 * thread-safe: guarded by the {@link Fetcher}'s lock. A seek or a new assignment replaces the object, so a
 * pull answered for an old one is recognised and dropped.
 */
final class QueueState {
    final TopicQueue queue;
    /** The offset the next PULL starts from. */
    long position = -1;
    /** True while a position fetch or a PULL for this queue is on its way. */
    boolean inFlight;
    /** No request before this time (System.nanoTime) after a failure. */
    long retryAtNanos;
    int failures;
    final ArrayDeque<ReceivedMessage> buffer = new ArrayDeque<>();
    /** After the last message handed to the application. */
    long delivered = -1;
    /** After the last message the application is known to have processed: what auto commit commits. */
    long processed = -1;
    /** What the server has committed, as far as this consumer knows. */
    long committed = -1;

    QueueState(TopicQueue queue) {
        this.queue = queue;
    }

    /** A fresh state for the same queue that starts at {@code offset} and keeps what is known of commits. */
    QueueState restartAt(long offset) {
        QueueState s = new QueueState(queue);
        s.position = offset;
        s.delivered = offset;
        s.processed = offset;
        s.committed = committed;
        return s;
    }
}
