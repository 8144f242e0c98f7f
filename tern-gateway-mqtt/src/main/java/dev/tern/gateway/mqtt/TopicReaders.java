package dev.tern.gateway.mqtt;

import dev.tern.engine.Engine;
import dev.tern.engine.TopicDescription;
import dev.tern.store.api.QueueRange;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * One {@link TopicReader} per Tern topic that some subscription on this node needs, started on demand.
 * A reader starts at the tail of its topic; the future of {@link #ensure} completes once its start
 * positions are fixed, so a SUBACK sent after it covers every later message. Readers run until the
 * gateway closes (there is one per Tern topic, not per MQTT name, so they are few).
 */
final class TopicReaders {
    private final Engine engine;
    private final Sessions sessions;
    private final TopicProvisioner topics;
    private final Executor executor;
    private final ScheduledExecutorService scheduler;
    private final Map<String, CompletableFuture<TopicReader>> readers = new ConcurrentHashMap<>();

    TopicReaders(Engine engine, Sessions sessions, TopicProvisioner topics, Executor executor, ScheduledExecutorService scheduler) {
        this.engine = engine;
        this.sessions = sessions;
        this.topics = topics;
        this.executor = executor;
        this.scheduler = scheduler;
    }

    /** The reader of {@code topic}, creating the topic (and the reader) when missing. */
    CompletableFuture<TopicReader> ensure(String topic) {
        CompletableFuture<TopicReader> f = readers.computeIfAbsent(topic, t -> topics.ensure(t)
                .thenCompose(v -> engine.topics().describe(t))
                .thenApply(d -> start(t, d.orElseThrow())));
        // a failed start is forgotten so the next subscription tries again
        f.whenComplete((r, e) -> {
            if (e != null) readers.remove(topic, f);
        });
        return f;
    }

    /** Readers for every existing Tern topic (a filter with a wildcard first level reads them all). */
    CompletableFuture<Void> ensureAll() {
        return engine.topics().list().thenCompose(list -> {
            List<CompletableFuture<TopicReader>> all = new ArrayList<>();
            for (TopicDescription d : list) {
                if (!TopicMapping.decodeLevel(d.name()).startsWith("$")) all.add(ensure(d.name()));
            }
            return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
        });
    }

    /** The running readers (those whose start completed). */
    Collection<TopicReader> running() {
        List<TopicReader> out = new ArrayList<>();
        for (CompletableFuture<TopicReader> f : readers.values()) {
            if (f.isDone() && !f.isCompletedExceptionally()) out.add(f.join());
        }
        return out;
    }

    /** The running reader of {@code topic}, or null. */
    TopicReader running(String topic) {
        CompletableFuture<TopicReader> f = readers.get(topic);
        return f != null && f.isDone() && !f.isCompletedExceptionally() ? f.join() : null;
    }

    void close() {
        for (TopicReader r : running()) r.close();
    }

    private TopicReader start(String topic, TopicDescription d) {
        long[] start = new long[d.queues().size()];
        for (int q = 0; q < start.length; q++) {
            QueueRange range = d.queues().get(q);
            start[q] = range.nextOffset();
        }
        TopicReader r = new TopicReader(topic, start, engine, sessions, executor, scheduler);
        r.start();
        return r;
    }
}
