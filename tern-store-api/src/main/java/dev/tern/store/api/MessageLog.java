package dev.tern.store.api;

import dev.tern.common.message.Message;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The queues of every topic: append at the tail, read from any kept offset. */
public interface MessageLog {

    /** The largest encoded message the store accepts, in bytes. */
    int maxMessageBytes();

    /**
     * Appends a batch to one queue of a topic, atomically with respect to other appends of that queue
     * (the batch's messages get consecutive offsets). The future completes with one result per message,
     * in order, once the batch is as durable as asked.
     * <p>
     * Fails with TOPIC_NOT_FOUND, QUEUE_NOT_FOUND, MESSAGE_TOO_LARGE, INVALID_ARGUMENT (empty batch),
     * STORAGE_FULL (the store stays readable, and appends succeed again once space is back) or
     * STORAGE_IO. A failed append may or may not be stored; a successful one is.
     */
    CompletableFuture<List<AppendResult>> append(String topic, int queue, List<Message> batch, Durability durability);

    /**
     * Reads from a queue. Never blocks waiting for new messages: combine with an {@link AppendListener}
     * to long-poll. A record whose checksum fails is reported (CORRUPT_RECORD), never returned as data.
     * The caller must close the result; its buffers may be shared with the store until then.
     * <p>
     * Fails with TOPIC_NOT_FOUND, QUEUE_NOT_FOUND, or INVALID_ARGUMENT when {@code maxMessages < 1} or
     * {@code maxBytes < 1}. Otherwise the result's status says what was found and
     * {@link ReadResult#nextOffset()} where to read next:
     * <ul>
     *   <li>FOUND: after the last record returned (or skipped by the tag filter);</li>
     *   <li>NO_MESSAGES at the end of the queue: the queue's next offset, the offset read;</li>
     *   <li>NO_MESSAGES from a tag-filtered read: the store may stop after skipping part of the queue
     *       without finding a match (a read's cost stays bounded); nextOffset is then past what was
     *       skipped, and the caller reads on from there;</li>
     *   <li>OFFSET_TOO_SMALL (the offset is below the queue's minOffset, e.g. negative or removed by
     *       retention): the queue's minOffset;</li>
     *   <li>OFFSET_TOO_BIG (the offset is past the queue's nextOffset): the queue's nextOffset.</li>
     * </ul>
     */
    CompletableFuture<ReadResult> read(ReadRequest request);

    CompletableFuture<QueueRange> range(String topic, int queue);

    /**
     * Completes once the message at {@code offset} of the queue (and every message stored before it) is on
     * stable storage, at once when it already is or is no longer kept. A reader can see a message before it
     * is durable; state that speaks of a message it read (an ack, a committed offset) must not become
     * durable before it, or a power cut could leave that state pointing at an offset the log hands out again.
     */
    default CompletableFuture<Void> durable(String topic, int queue, long offset) {
        return CompletableFuture.completedFuture(null);
    }

    /**
     * The bytes the topic's kept messages occupy as stored records (over all its queues; indexes not
     * counted). Cheap enough to call at every metrics scrape. Fails with TOPIC_NOT_FOUND.
     */
    CompletableFuture<Long> storedBytes(String topic);

    /**
     * Registers a listener, told of appends as {@link AppendListener} describes. Returns a handle whose
     * {@code close()} removes this registration; closing it again does nothing.
     */
    AutoCloseable addAppendListener(AppendListener listener);
}
