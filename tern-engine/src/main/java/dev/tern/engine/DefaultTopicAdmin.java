package dev.tern.engine;

import dev.tern.common.Names;
import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.store.api.MessageStore;
import dev.tern.store.api.QueueRange;
import dev.tern.store.api.TopicInfo;
import dev.tern.store.api.TopicSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** Topic administration: validates, asks the store, keeps the engine's caches and groups in step. */
final class DefaultTopicAdmin implements TopicAdmin {
    private final EngineContext context;
    private final MessageStore store;
    private final TopicCache topics;
    private final TopicCount count;
    private final Consumer<String> created;
    private final Consumer<String> deleted;

    DefaultTopicAdmin(EngineContext context, MessageStore store, TopicCache topics, TopicCount count, Consumer<String> created,
                      Consumer<String> deleted) {
        this.context = context;
        this.store = store;
        this.topics = topics;
        this.count = count;
        this.created = created;
        this.deleted = deleted;
    }

    @Override
    public CompletableFuture<TopicDescription> create(String name, int queues, Map<String, String> config) {
        return context.hop(Failures.guard(() -> {
            context.checkOpen();
            Names.checkTopic(name);
            if (queues < 1 || queues > TopicSpec.MAX_QUEUES) {
                throw TernException.invalid("a topic has 1 to " + TopicSpec.MAX_QUEUES + " queues, not " + queues);
            }
            int maxQueues = context.config.limits().maxQueues();
            if (queues > maxQueues) {
                throw new TernException(ErrorCode.LIMIT_EXCEEDED, "topic '" + name + "' not created: " + queues
                        + " queues is over the node's limit of " + maxQueues + " queues per topic (topic.max.queues)");
            }
            return count.create(name, () -> store.topics().create(new TopicSpec(name, queues, config))).thenCompose(info -> {
                topics.put(info);
                created.accept(name);
                return describe(info);
            });
        }));
    }

    @Override
    public CompletableFuture<Void> delete(String name) {
        return context.hop(Failures.guard(() -> {
            context.checkOpen();
            Names.checkTopic(name);
            return store.topics().delete(name).whenComplete((v, e) -> {
                topics.invalidate(name);
                if (e == null) {
                    count.release();
                    deleted.accept(name);
                }
            });
        }));
    }

    @Override
    public CompletableFuture<List<TopicDescription>> list() {
        return context.hop(Failures.guard(() -> {
            context.checkOpen();
            return store.topics().list().thenCompose(infos -> {
                List<CompletableFuture<Optional<TopicDescription>>> all = new ArrayList<>();
                for (TopicInfo info : infos) all.add(describeIfExists(info));
                return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                        .thenApply(v -> all.stream().map(CompletableFuture::join).flatMap(Optional::stream).toList());
            });
        }));
    }

    @Override
    public CompletableFuture<Optional<TopicDescription>> describe(String name) {
        return context.hop(Failures.guard(() -> {
            context.checkOpen();
            Names.checkTopic(name);
            return store.topics().describe(name).thenCompose(found -> found.isEmpty()
                    ? CompletableFuture.completedFuture(Optional.<TopicDescription>empty())
                    : describeIfExists(found.get()));
        }));
    }

    /** The topic with its ranges; empty when it was deleted meanwhile. */
    private CompletableFuture<Optional<TopicDescription>> describeIfExists(TopicInfo info) {
        return describe(info).handle((d, e) -> {
            if (e == null) return Optional.of(d);
            if (Failures.is(e, ErrorCode.TOPIC_NOT_FOUND)) return Optional.empty();
            throw Failures.unwrap(e);
        });
    }

    private CompletableFuture<TopicDescription> describe(TopicInfo info) {
        List<CompletableFuture<QueueRange>> ranges = new ArrayList<>(info.queues());
        for (int q = 0; q < info.queues(); q++) ranges.add(store.log().range(info.name(), q));
        return CompletableFuture.allOf(ranges.toArray(CompletableFuture[]::new))
                .thenApply(v -> new TopicDescription(info, ranges.stream().map(CompletableFuture::join).map(Objects::requireNonNull).toList()));
    }
}
