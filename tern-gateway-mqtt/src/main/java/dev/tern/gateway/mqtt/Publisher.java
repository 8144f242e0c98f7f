package dev.tern.gateway.mqtt;

import dev.tern.common.message.Message;
import dev.tern.engine.Engine;
import dev.tern.engine.QueueTarget;
import dev.tern.engine.SendResult;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stores an MQTT publish (or a will) on its Tern topic, creating the topic if needed (and allowed). The queue is
 * chosen by the full MQTT topic name, so messages of one name stay in order on one queue. A retained publish
 * is admitted by the retained table first (its limits), and updates it once stored; the publish completes once
 * the retained entry is written too.
 */
final class Publisher {
    private final Engine engine;
    private final TopicProvisioner topics;
    private final RetainedMessages retained;
    private final AtomicLong published = new AtomicLong();

    Publisher(Engine engine, TopicProvisioner topics, RetainedMessages retained) {
        this.engine = engine;
        this.topics = topics;
        this.retained = retained;
    }

    CompletableFuture<SendResult> publish(String mqttTopic, Message msg, boolean retain) {
        return publishBatch(mqttTopic, List.of(msg), new boolean[] {retain}).thenApply(r -> r.get(0));
    }

    /** Stores messages of one MQTT topic name as one batch (one append), in order; {@code retain} per message. */
    CompletableFuture<List<SendResult>> publishBatch(String mqttTopic, List<Message> msgs, boolean[] retain) {
        String tern = TopicMapping.ternTopic(mqttTopic);
        return topics.ensure(tern)
                .thenCompose(v -> {
                    // a retained publish the retained table has no room for is refused before it is stored
                    for (int i = 0; i < msgs.size(); i++) {
                        if (retain[i]) retained.admit(mqttTopic, msgs.get(i).body().length);
                    }
                    return engine.send(tern, QueueTarget.key(mqttTopic), msgs, null);
                })
                .thenCompose(results -> {
                    published.addAndGet(results.size());
                    CompletableFuture<Void> retained = CompletableFuture.completedFuture(null);
                    for (int i = 0; i < msgs.size(); i++) {
                        if (!retain[i]) continue;
                        Delivery d = retainedDelivery(mqttTopic, msgs.get(i), results.get(i));
                        retained = retained.thenCompose(x -> this.retained.put(d));
                    }
                    return retained.thenApply(x -> results);
                });
    }

    private static Delivery retainedDelivery(String mqttTopic, Message msg, SendResult r) {
        return new Delivery(mqttTopic, msg.body(), Integer.parseInt(msg.properties().get(TopicMapping.QOS)), true,
                msg.properties(), r.topic(), r.queue(), r.queueOffset(), msg.properties().get(TopicMapping.CLIENT_ID), expiresAt(msg));
    }

    long published() {
        return published.get();
    }

    private static long expiresAt(Message m) {
        String e = m.properties().get(TopicMapping.EXPIRES_AT);
        return e == null ? 0 : Long.parseLong(e);
    }
}
