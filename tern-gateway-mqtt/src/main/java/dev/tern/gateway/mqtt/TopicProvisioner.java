package dev.tern.gateway.mqtt;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.engine.Engine;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Creates the Tern topic of an MQTT first level when it is missing (with {@code mqtt.topic.queues}
 * queues), and remembers the ones known to exist so a publish costs no extra engine call.
 */
final class TopicProvisioner {
    private final Engine engine;
    private final int queues;
    private final Set<String> known = ConcurrentHashMap.newKeySet();
    private volatile Function<String, CompletableFuture<?>> onCreated = t -> CompletableFuture.completedFuture(null);

    TopicProvisioner(Engine engine, int queues) {
        this.engine = engine;
        this.queues = queues;
    }

    /** Runs after the gateway created a topic, before the publish that caused it is sent. */
    void onCreated(Function<String, CompletableFuture<?>> listener) {
        this.onCreated = listener;
    }

    CompletableFuture<Void> ensure(String topic) {
        if (known.contains(topic)) return CompletableFuture.completedFuture(null);
        return engine.topics().describe(topic).thenCompose(d -> {
            if (d.isPresent()) return CompletableFuture.<Void>completedFuture(null);
            return engine.topics().create(topic, queues, Map.of()).handle((ok, e) -> {
                if (e != null && !isExists(e)) throw new CompletionException(e);
                return (Void) null;
            }).thenCompose(v -> onCreated.apply(topic)).thenApply(x -> (Void) null);
        }).thenRun(() -> known.add(topic));
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
