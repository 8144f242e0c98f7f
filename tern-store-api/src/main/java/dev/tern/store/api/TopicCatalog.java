package dev.tern.store.api;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Topic metadata. Creating and deleting are durable (SYNC) before their futures complete. */
public interface TopicCatalog {

    /** Creates a topic. Fails with TOPIC_EXISTS if it exists, INVALID_ARGUMENT for a bad name or queue count. */
    CompletableFuture<TopicInfo> create(TopicSpec spec);

    /**
     * Deletes a topic with its messages, indexes and group offsets. Fails with TOPIC_NOT_FOUND. Space is
     * reclaimed as retention removes the log segments the topic shared with others.
     */
    CompletableFuture<Void> delete(String topic);

    /** All topics, sorted by name. */
    CompletableFuture<List<TopicInfo>> list();

    CompletableFuture<Optional<TopicInfo>> describe(String topic);
}
