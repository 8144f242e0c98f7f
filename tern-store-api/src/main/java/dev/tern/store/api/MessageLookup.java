package dev.tern.store.api;

import dev.tern.common.message.MessageId;
import dev.tern.common.message.StoredMessage;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Finding messages other than by queue offset. Lookups see every append whose future has completed
 * (read-your-writes), and never return messages removed by retention or of a deleted topic.
 */
public interface MessageLookup {

    /** The message with this id, if it is still kept. */
    CompletableFuture<Optional<StoredMessage>> byId(MessageId id);

    /**
     * Messages of a topic that carry {@code key} among their keys: the most recent {@code limit} of them,
     * oldest first. Fails with TOPIC_NOT_FOUND.
     */
    CompletableFuture<List<StoredMessage>> byKey(String topic, String key, int limit);

    /**
     * The first offset of a queue whose message was stored at or after {@code timestamp} (epoch ms); the
     * queue's next offset if there is none. Fails with TOPIC_NOT_FOUND or QUEUE_NOT_FOUND.
     */
    CompletableFuture<Long> offsetForTime(String topic, int queue, long timestamp);
}
