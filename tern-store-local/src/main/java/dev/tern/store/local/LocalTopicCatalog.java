package dev.tern.store.local;

import dev.tern.common.Names;
import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.store.api.TopicCatalog;
import dev.tern.store.api.TopicInfo;
import dev.tern.store.api.TopicSpec;
import dev.tern.store.local.queue.ConsumeQueue;

import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Topics of the local store. Deletion runs as the writer (Appender.execute), so no append is half-way through it. */
final class LocalTopicCatalog implements TopicCatalog {
    private final LocalStore store;
    private final Object createLock = new Object();

    LocalTopicCatalog(LocalStore store) {
        this.store = store;
    }

    @Override
    public CompletableFuture<TopicInfo> create(TopicSpec spec) {
        return Futures.call(() -> {
            store.ensureOpen();
            Names.checkTopic(spec.name());
            if (spec.queues() < 1 || spec.queues() > TopicSpec.MAX_QUEUES) {
                throw TernException.invalid("a topic has 1 to " + TopicSpec.MAX_QUEUES + " queues, not " + spec.queues());
            }
            synchronized (createLock) {
                TopicInfo info = store.topics.persistNew(spec.name(), spec.queues(), spec.config(), store.config.clock().millis());
                ConsumeQueue[] qs = new ConsumeQueue[info.queues()];
                try {
                    for (int q = 0; q < qs.length; q++) {
                        qs[q] = ConsumeQueue.open(store.queueDir(info.topicId(), q), store.config.fileIO(), store.config.queueEntriesPerFile());
                    }
                } catch (IOException e) {
                    TopicState half = new TopicState(info, qs);
                    store.topics.remove(half);
                    throw new TernException(ErrorCode.STORAGE_IO, "cannot create the queues of topic '" + spec.name() + "': " + e.getMessage(), e);
                }
                store.topics.add(new TopicState(info, qs));
                return info;
            }
        });
    }

    @Override
    public CompletableFuture<Void> delete(String topic) {
        TopicState t;
        try {
            store.ensureOpen();
            t = store.topic(topic);
        } catch (TernException e) {
            return CompletableFuture.failedFuture(e);
        }
        return store.appender.execute(() -> {
            if (t.deleted) throw new TernException(ErrorCode.TOPIC_NOT_FOUND, "topic '" + topic + "' does not exist");
            t.deleted = true;
            store.topics.remove(t);
        }).thenRun(() -> {
            try {
                for (ConsumeQueue q : t.queues) q.deleteAll();
                dev.tern.store.local.io.FileTrees.delete(store.config.fileIO(), store.queueDir(t.info.topicId(), 0).getParent());
            } catch (IOException e) {
                throw new TernException(ErrorCode.STORAGE_IO, "topic '" + topic + "' is deleted but its files remain: " + e.getMessage(), e);
            }
            store.keyIndex.deleteTopic(t.info.topicId());
            ((LocalGroupOffsets) store.offsets()).deleteTopic(topic);
        });
    }

    @Override
    public CompletableFuture<List<TopicInfo>> list() {
        return Futures.call(() -> {
            store.ensureOpen();
            return store.topics.all().stream().map(t -> t.info).sorted(Comparator.comparing(TopicInfo::name)).toList();
        });
    }

    @Override
    public CompletableFuture<Optional<TopicInfo>> describe(String topic) {
        return Futures.call(() -> {
            store.ensureOpen();
            TopicState t = topic == null ? null : store.topics.get(topic);
            return t == null || t.deleted ? Optional.<TopicInfo>empty() : Optional.of(t.info);
        });
    }
}
