package dev.tern.store.memory;

import dev.tern.common.Names;
import dev.tern.common.error.TernException;
import dev.tern.store.api.GroupOffset;
import dev.tern.store.api.GroupOffsets;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * Group offsets, kept inside each topic incarnation ({@link TopicOffsets}) so that they die with it.
 * Fetching from a topic or queue that does not exist finds nothing rather than failing: nothing was committed there.
 */
final class MemoryOffsets implements GroupOffsets {
    private final Gate gate;
    private final MemoryTopics topics;

    MemoryOffsets(Gate gate, MemoryTopics topics) {
        this.gate = gate;
        this.topics = topics;
    }

    @Override
    public CompletableFuture<Void> commit(String group, String topic, int queue, long offset, dev.tern.store.api.Durability durability) {
        return gate.run(() -> {
            // checked in the order the SPI lists: group, topic, queue, offset
            Names.checkGroup(group);
            MemoryTopic t = topics.require(topic);
            t.queue(queue);
            if (offset < 0) throw TernException.invalid("a committed offset is not negative: " + offset);
            t.offsets().commit(group, queue, offset);
        });
    }

    @Override
    public CompletableFuture<OptionalLong> fetch(String group, String topic, int queue) {
        return gate.call(() -> {
            Names.checkGroup(group);
            return topics.find(topic).map(t -> t.offsets().fetch(group, queue)).orElse(OptionalLong.empty());
        });
    }

    @Override
    public CompletableFuture<List<GroupOffset>> list(String group) {
        return gate.call(() -> {
            Names.checkGroup(group);
            List<GroupOffset> all = new ArrayList<>();
            for (MemoryTopic t : topics.all()) all.addAll(t.offsets().list(group, t.name()));
            return List.copyOf(all);
        });
    }

    @Override
    public CompletableFuture<List<String>> groups() {
        return gate.call(() -> {
            TreeSet<String> groups = new TreeSet<>();
            for (MemoryTopic t : topics.all()) groups.addAll(t.offsets().groups());
            return List.copyOf(groups);
        });
    }

    @Override
    public CompletableFuture<Void> deleteGroup(String group) {
        return gate.run(() -> {
            Names.checkGroup(group);
            for (MemoryTopic t : topics.all()) t.offsets().remove(group);
        });
    }
}
