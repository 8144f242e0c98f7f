package dev.tern.store.memory;

import dev.tern.store.api.GroupOffset;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

/**
 * The committed offsets of every group in one topic incarnation. Kept with the topic, so that deleting
 * the topic deletes them and a commit racing the delete lands in the discarded incarnation.
 */
final class TopicOffsets {
    /** group -> queue -> offset; sorted so that listings need no sort. */
    private final TreeMap<String, TreeMap<Integer, Long>> offsets = new TreeMap<>();

    synchronized void commit(String group, int queue, long offset) {
        offsets.computeIfAbsent(group, g -> new TreeMap<>()).put(queue, offset);
    }

    synchronized OptionalLong fetch(String group, int queue) {
        Map<Integer, Long> queues = offsets.get(group);
        Long offset = queues == null ? null : queues.get(queue);
        return offset == null ? OptionalLong.empty() : OptionalLong.of(offset);
    }

    /** One group's offsets in this topic (named {@code topic}), by queue. */
    synchronized List<GroupOffset> list(String group, String topic) {
        Map<Integer, Long> queues = offsets.get(group);
        if (queues == null) return List.of();
        List<GroupOffset> out = new ArrayList<>(queues.size());
        queues.forEach((q, o) -> out.add(new GroupOffset(group, topic, q, o)));
        return out;
    }

    synchronized Set<String> groups() {
        return Set.copyOf(offsets.keySet());
    }

    synchronized void remove(String group) {
        offsets.remove(group);
    }
}
