package dev.tern.engine;

import dev.tern.store.api.TopicCatalog;
import dev.tern.store.api.TopicInfo;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The topics the send path and the group coordinator have seen, so that a send does not ask the store
 * for the topic's queue count each time. Only existing topics are cached (a topic created by someone
 * else is found on the next miss); the engine drops an entry when it deletes the topic and when an
 * append says the topic or queue is gone.
 */
final class TopicCache {
    private final TopicCatalog catalog;
    private final ConcurrentHashMap<String, TopicInfo> known = new ConcurrentHashMap<>();

    TopicCache(TopicCatalog catalog) {
        this.catalog = catalog;
    }

    CompletableFuture<Optional<TopicInfo>> get(String topic) {
        TopicInfo info = known.get(topic);
        if (info != null) return CompletableFuture.completedFuture(Optional.of(info));
        return catalog.describe(topic).thenApply(found -> {
            found.ifPresent(this::put);
            return found;
        });
    }

    void put(TopicInfo info) {
        // a newer incarnation (higher id) wins over an older one that a slow describe brings back
        known.merge(info.name(), info, (old, neu) -> neu.topicId() >= old.topicId() ? neu : old);
    }

    void invalidate(String topic) {
        known.remove(topic);
    }
}
