package dev.tern.engine;

import dev.tern.common.message.MessageId;
import dev.tern.common.message.StoredMessage;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Finding messages other than by pulling a queue: by id, by key, and the offset of a point in time
 * (which the engine validates and then asks the store's lookup). Lookups see every send whose future
 * has completed, and never return messages removed by retention or of a deleted topic. The messages
 * returned are decoded copies: they need no closing.
 */
public interface MessageQuery {

    /** The most messages one {@link #byKey} returns. */
    int MAX_KEY_LIMIT = 10_000;

    /**
     * The first offset of a queue whose message was stored at or after {@code timestamp} (epoch ms); the
     * queue's next offset if there is none (so a consumer starting there sees only later messages). Fails
     * with INVALID_ARGUMENT for a bad topic name, TOPIC_NOT_FOUND, QUEUE_NOT_FOUND.
     */
    CompletableFuture<Long> offsetForTime(String topic, int queue, long timestamp);

    /**
     * The message with this id, if it is still kept; empty for an id that is no message's. Fails with
     * INVALID_ARGUMENT for a null id.
     */
    CompletableFuture<Optional<StoredMessage>> byId(MessageId id);

    /**
     * Messages of a topic that carry {@code key} among their keys (exact match): the most recent
     * {@code limit} of them, oldest first. Fails with INVALID_ARGUMENT for a bad topic name, an empty key
     * or a limit outside 1 to {@value #MAX_KEY_LIMIT}; TOPIC_NOT_FOUND.
     */
    CompletableFuture<List<StoredMessage>> byKey(String topic, String key, int limit);
}
