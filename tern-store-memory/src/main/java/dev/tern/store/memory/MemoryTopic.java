package dev.tern.store.memory;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.common.message.StoredMessage;
import dev.tern.store.api.TopicInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * One incarnation of a topic: its queues, key index and group offsets. Deleting the topic retires this
 * object; a topic created again under the same name is a new one, so nothing of the old is visible.
 */
final class MemoryTopic {
    private final TopicInfo info;
    private final MemoryContext context;
    private final MemoryQueue[] queues;
    /** key -> entries carrying it, by store-wide sequence, so the newest are at the tail across queues. */
    private final ConcurrentMap<String, ConcurrentSkipListMap<Long, QueueEntry>> byKey = new ConcurrentHashMap<>();
    private final TopicOffsets offsets = new TopicOffsets();
    private volatile boolean deleted;

    MemoryTopic(TopicInfo info, MemoryContext context) {
        this.info = info;
        this.context = context;
        this.queues = new MemoryQueue[info.queues()];
        for (int q = 0; q < queues.length; q++) queues[q] = new MemoryQueue(this, q, context);
    }

    TopicInfo info() {
        return info;
    }

    String name() {
        return info.name();
    }

    boolean deleted() {
        return deleted;
    }

    long storedBytes() {
        long sum = 0;
        for (MemoryQueue q : queues) sum += q.storedBytes();
        return sum;
    }

    MemoryQueue queue(int queue) {
        if (queue < 0 || queue >= queues.length) {
            throw new TernException(ErrorCode.QUEUE_NOT_FOUND,
                    "topic '" + name() + "' has no queue " + queue + " (it has " + queues.length + ")");
        }
        return queues[queue];
    }

    TopicOffsets offsets() {
        return offsets;
    }

    /** Called by a queue under its write lock for each entry it stores. */
    void index(QueueEntry entry, List<String> keys) {
        context.ids().add(this, entry);
        for (String key : keys) byKey.computeIfAbsent(key, k -> new ConcurrentSkipListMap<>()).put(entry.sequence(), entry);
    }

    /** The most recent {@code limit} messages carrying {@code key}, oldest first. */
    List<StoredMessage> byKey(String key, int limit) {
        NavigableMap<Long, QueueEntry> entries = byKey.get(key);
        if (entries == null || limit == 0) return List.of();
        List<StoredMessage> newestFirst = new ArrayList<>(Math.min(limit, 64));
        for (QueueEntry e : entries.descendingMap().values()) {
            if (newestFirst.size() == limit) break;
            newestFirst.add(e.message());
        }
        return List.copyOf(newestFirst.reversed());
    }

    /** Retires this incarnation: refuses further appends, then drops its messages from the id index. */
    void delete() {
        deleted = true;
        for (MemoryQueue q : queues) context.ids().removeAll(q.drain());
        byKey.clear();
    }
}
