package dev.tern.store.memory;

import dev.tern.common.message.MessageId;
import dev.tern.common.message.StoredMessage;

import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Message id to stored message, across all topics. A deleted topic's ids are removed with it. */
final class IdIndex {
    private record Ref(MemoryTopic topic, QueueEntry entry) {
    }

    private final ConcurrentMap<MessageId, Ref> ids = new ConcurrentHashMap<>();

    void add(MemoryTopic topic, QueueEntry entry) {
        ids.put(entry.id(), new Ref(topic, entry));
    }

    void removeAll(Collection<QueueEntry> entries) {
        for (QueueEntry e : entries) ids.remove(e.id());
    }

    Optional<StoredMessage> find(MessageId id) {
        Ref ref = ids.get(id);
        // the deleted check closes the window between a topic's deletion and the removal of its ids
        if (ref == null || ref.topic().deleted()) return Optional.empty();
        return Optional.of(ref.entry().message());
    }
}
