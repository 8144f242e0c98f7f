package dev.tern.store.memory;

import dev.tern.common.error.TernException;
import dev.tern.common.message.MessageId;
import dev.tern.common.message.StoredMessage;
import dev.tern.store.api.MessageLookup;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Lookups by id (a store-wide map), by key (per topic) and by time (a binary search per queue). */
final class MemoryLookup implements MessageLookup {
    private final Gate gate;
    private final MemoryTopics topics;
    private final IdIndex ids;

    MemoryLookup(Gate gate, MemoryTopics topics, IdIndex ids) {
        this.gate = gate;
        this.topics = topics;
        this.ids = ids;
    }

    @Override
    public CompletableFuture<Optional<StoredMessage>> byId(MessageId id) {
        return gate.call(() -> {
            if (id == null) throw TernException.invalid("no message id");
            return ids.find(id);
        });
    }

    @Override
    public CompletableFuture<List<StoredMessage>> byKey(String topic, String key, int limit) {
        return gate.call(() -> {
            MemoryTopic t = topics.require(topic);
            if (key == null) throw TernException.invalid("no key");
            if (limit < 0) throw TernException.invalid("limit must not be negative: " + limit);
            return t.byKey(key, limit);
        });
    }

    @Override
    public CompletableFuture<Long> offsetForTime(String topic, int queue, long timestamp) {
        return gate.call(() -> topics.require(topic).queue(queue).offsetForTime(timestamp));
    }
}
