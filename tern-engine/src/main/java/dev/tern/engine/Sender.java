package dev.tern.engine;

import dev.tern.common.Names;
import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.common.message.Message;
import dev.tern.store.api.AppendResult;
import dev.tern.store.api.Durability;
import dev.tern.store.api.MessageStore;
import dev.tern.store.api.TopicInfo;
import dev.tern.store.api.TopicSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** The send path: find (or auto-create) the topic, pick the queue, append, report. */
final class Sender {
    private final EngineContext context;
    private final MessageStore store;
    private final TopicCache topics;
    private final TopicCount count;
    private final QueueSelector selector;
    private final Consumer<String> topicCreated;
    private final DelayedSends delayed;
    private final ProducerDedup dedup;

    Sender(EngineContext context, MessageStore store, TopicCache topics, TopicCount count, QueueSelector selector,
           Consumer<String> topicCreated, DelayedSends delayed) {
        this.count = count;
        this.delayed = delayed;
        this.dedup = new ProducerDedup(context, store.metadata(), new DedupTail(store.log())).start();
        this.context = context;
        this.store = store;
        this.topics = topics;
        this.selector = selector;
        this.topicCreated = topicCreated;
    }

    CompletableFuture<List<SendResult>> send(String topic, QueueTarget target, List<Message> batch, Durability durability) {
        long start = System.nanoTime();
        long[] bytes = {0};
        CompletableFuture<List<SendResult>> sent = Failures.guard(() -> {
            context.checkOpen();
            Names.checkTopic(topic);
            Failures.require(target, "a queue target");
            if (batch == null || batch.isEmpty()) throw TernException.invalid("a send needs at least one message");
            for (Message m : batch) {
                if (m == null) throw TernException.invalid("a batch holds a null message");
                bytes[0] += m.body().length; // summed here, while each message is touched anyway, for the metrics
            }
            Durability d = durability == null ? context.config.defaultDurability() : durability;
            long now = context.config.clock().millis();
            List<Long> due = delayed.dueTimes(batch, now);
            return resolve(topic).thenCompose(info -> due == null ? append(info, target, batch, d)
                    : delayed.schedule(info.name(), selector.select(info.name(), target, info.queues()), batch, due, d, now));
        });
        return context.hop(sent, (results, failure) -> {
            if (failure == null) {
                context.metrics.sent(topic, results.size(), bytes[0], System.nanoTime() - start);
            } else {
                if (failure.code() == ErrorCode.TOPIC_NOT_FOUND || failure.code() == ErrorCode.QUEUE_NOT_FOUND) {
                    if (topic != null) topics.invalidate(topic);
                }
                context.metrics.sendFailed(topic, failure.code());
            }
        });
    }

    private CompletableFuture<List<SendResult>> append(TopicInfo info, QueueTarget target, List<Message> batch, Durability d) {
        int queue = selector.select(info.name(), target, info.queues());
        if (!ProducerDedup.wanted(batch)) return appendTo(info.name(), queue, batch, d);
        Message head = batch.getFirst();
        return dedup.send(head.producerId(), info.name(), queue, head.sequence(), batch.size(), d, () -> appendTo(info.name(), queue, batch, d));
    }

    /** Appends a batch to a known queue (no dedup, no delay): the last step of every send, and of a transaction's commit. */
    CompletableFuture<List<SendResult>> appendTo(String topic, int queue, List<Message> batch, Durability d) {
        return store.log().append(topic, queue, batch, d).thenApply(stored -> {
            List<SendResult> out = new ArrayList<>(stored.size());
            for (AppendResult r : stored) out.add(new SendResult(topic, queue, r.queueOffset(), r.messageId(), r.storeTimestamp()));
            return out;
        });
    }

    /** The de-duplication of idempotent producers (for tests). */
    ProducerDedup dedup() {
        return dedup;
    }

    /** The queue a batch for {@code topic} goes to, the topic found or auto-created as for a send. */
    CompletableFuture<TopicQueue> place(String topic, QueueTarget target) {
        return resolve(topic).thenApply(info -> new TopicQueue(info.name(), selector.select(info.name(), target, info.queues())));
    }

    private CompletableFuture<TopicInfo> resolve(String topic) {
        return topics.get(topic).thenCompose(found -> {
            if (found.isPresent()) return CompletableFuture.completedFuture(found.get());
            if (!context.config.autoCreateTopics()) {
                return CompletableFuture.failedFuture(new TernException(ErrorCode.TOPIC_NOT_FOUND,
                        "topic '" + topic + "' does not exist (topic.auto.create is off)"));
            }
            return autoCreate(topic);
        });
    }

    /** Creates the topic; losing the race to another creator is fine: use theirs. */
    private CompletableFuture<TopicInfo> autoCreate(String topic) {
        return count.create(topic, () -> store.topics().create(new TopicSpec(topic, context.config.autoCreateQueues())))
                .handle((info, error) -> {
                    if (error == null) {
                        topics.put(info);
                        topicCreated.accept(topic);
                        return CompletableFuture.completedFuture(info);
                    }
                    if (!Failures.is(error, ErrorCode.TOPIC_EXISTS)) return CompletableFuture.<TopicInfo>failedFuture(Failures.unwrap(error));
                    return topics.get(topic).thenApply(again -> again.orElseThrow(() -> new TernException(ErrorCode.TOPIC_NOT_FOUND,
                            "topic '" + topic + "' was deleted while it was being created")));
                })
                .thenCompose(f -> f);
    }
}
