package dev.tern.gateway.mqtt;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.engine.Engine;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Creates the Tern topic of an MQTT first level when it is missing (with {@code mqtt.topic.queues} queues) and
 * {@code mqtt.topic.auto.create} allows it, through the engine's topic administration, so the engine's limits on
 * topics apply; remembers the ones known to exist so a publish costs no extra engine call. A topic that is
 * missing and may not be created, or that the engine refuses, fails the publish or subscription (and is counted).
 */
final class TopicProvisioner {
    private final Engine engine;
    private final int queues;
    private final boolean autoCreate;
    private final Set<String> known = ConcurrentHashMap.newKeySet();
    private final LongAdder refused = new LongAdder();
    private volatile Function<String, CompletableFuture<?>> onCreated = t -> CompletableFuture.completedFuture(null);

    TopicProvisioner(Engine engine, int queues, boolean autoCreate) {
        this.engine = engine;
        this.queues = queues;
        this.autoCreate = autoCreate;
    }

    /** Runs after the gateway created a topic, before the publish that caused it is sent. */
    void onCreated(Function<String, CompletableFuture<?>> listener) {
        this.onCreated = listener;
    }

    CompletableFuture<Void> ensure(String topic) {
        if (known.contains(topic)) return CompletableFuture.completedFuture(null);
        return engine.topics().describe(topic).thenCompose(d -> {
            if (d.isPresent()) return CompletableFuture.<Void>completedFuture(null);
            if (!autoCreate) {
                refused.increment();
                throw new TernException(ErrorCode.TOPIC_NOT_FOUND, "topic '" + topic + "' does not exist and mqtt.topic.auto.create is off");
            }
            return engine.topics().create(topic, queues, Map.of()).handle((ok, e) -> {
                if (e != null && !isExists(e)) {
                    refused.increment();
                    throw new CompletionException(e);
                }
                return (Void) null;
            }).thenCompose(v -> onCreated.apply(topic)).thenApply(x -> (Void) null);
        }).thenRun(() -> known.add(topic));
    }

    /** Publishes and subscriptions refused since start because their Tern topic was missing and not created. */
    long refused() {
        return refused.sum();
    }

    /** Forgets a topic (it was deleted): the next publish checks again. */
    void forget(String topic) {
        known.remove(topic);
    }

    private static boolean isExists(Throwable e) {
        while (e instanceof CompletionException && e.getCause() != null) e = e.getCause();
        return e instanceof TernException te && te.code() == ErrorCode.TOPIC_EXISTS;
    }
}
