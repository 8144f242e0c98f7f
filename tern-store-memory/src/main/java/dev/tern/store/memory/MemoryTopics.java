package dev.tern.store.memory;

import dev.tern.common.Names;
import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.store.api.TopicCatalog;
import dev.tern.store.api.TopicInfo;
import dev.tern.store.api.TopicSpec;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The topic catalog: live topic incarnations by name, sorted so that listing needs no sort. */
final class MemoryTopics implements TopicCatalog {
    private final Gate gate;
    private final MemoryContext context;
    private final ConcurrentNavigableMap<String, MemoryTopic> topics = new ConcurrentSkipListMap<>();
    private final AtomicInteger topicIds = new AtomicInteger();

    MemoryTopics(Gate gate, MemoryContext context) {
        this.gate = gate;
        this.context = context;
    }

    @Override
    public CompletableFuture<TopicInfo> create(TopicSpec spec) {
        return gate.call(() -> {
            if (spec == null) throw TernException.invalid("no topic spec");
            Names.checkTopic(spec.name());
            if (spec.queues() < 1 || spec.queues() > TopicSpec.MAX_QUEUES) {
                throw TernException.invalid("a topic has 1 to " + TopicSpec.MAX_QUEUES + " queues, not " + spec.queues());
            }
            TopicInfo info = new TopicInfo(spec.name(), topicIds.incrementAndGet(), spec.queues(), spec.config(),
                    context.clock().millis());
            if (topics.putIfAbsent(spec.name(), new MemoryTopic(info, context)) != null) {
                throw new TernException(ErrorCode.TOPIC_EXISTS, "topic '" + spec.name() + "' exists");
            }
            return info;
        });
    }

    @Override
    public CompletableFuture<Void> delete(String topic) {
        return gate.run(() -> {
            MemoryTopic removed = topics.remove(checkName(topic));
            if (removed == null) throw notFound(topic);
            removed.delete();
        });
    }

    @Override
    public CompletableFuture<List<TopicInfo>> list() {
        return gate.call(() -> all().stream().map(MemoryTopic::info).toList());
    }

    @Override
    public CompletableFuture<Optional<TopicInfo>> describe(String topic) {
        return gate.call(() -> find(topic).map(MemoryTopic::info));
    }

    /** The live topic of this name. */
    MemoryTopic require(String topic) {
        return find(topic).orElseThrow(() -> notFound(topic));
    }

    Optional<MemoryTopic> find(String topic) {
        return Optional.ofNullable(topics.get(checkName(topic)));
    }

    /** Every live topic, by name. */
    Collection<MemoryTopic> all() {
        return topics.values();
    }

    private static String checkName(String topic) {
        if (topic == null) throw TernException.invalid("no topic name");
        return topic;
    }

    private static TernException notFound(String topic) {
        return new TernException(ErrorCode.TOPIC_NOT_FOUND, "topic '" + topic + "' does not exist");
    }
}
