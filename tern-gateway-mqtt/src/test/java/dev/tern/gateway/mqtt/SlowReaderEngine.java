package dev.tern.gateway.mqtt;

import dev.tern.common.message.Message;
import dev.tern.engine.Engine;
import dev.tern.engine.GroupCoordinator;
import dev.tern.engine.MessageQuery;
import dev.tern.engine.PullRequest;
import dev.tern.engine.PullResult;
import dev.tern.engine.QueueTarget;
import dev.tern.engine.SendResult;
import dev.tern.engine.TopicAdmin;
import dev.tern.store.api.Durability;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * An engine whose long-polling pulls (the gateway's topic readers) answer a few milliseconds late, while
 * pulls that do not wait (a session's catch-up) answer at once: the store is then often ahead of where the
 * readers route, which is what a catch-up must never read past.
 */
final class SlowReaderEngine implements Engine {
    private final Engine engine;
    private final long delayMillis;

    SlowReaderEngine(Engine engine, long delayMillis) {
        this.engine = engine;
        this.delayMillis = delayMillis;
    }

    @Override
    public CompletableFuture<PullResult> pull(PullRequest request) {
        if (request.maxWait().isZero()) return engine.pull(request);
        return engine.pull(request).thenApplyAsync(r -> r, CompletableFuture.delayedExecutor(delayMillis, TimeUnit.MILLISECONDS));
    }

    @Override
    public CompletableFuture<List<SendResult>> send(String topic, QueueTarget target, List<Message> batch, Durability durability) {
        return engine.send(topic, target, batch, durability);
    }

    @Override
    public TopicAdmin topics() {
        return engine.topics();
    }

    @Override
    public GroupCoordinator groups() {
        return engine.groups();
    }

    @Override
    public MessageQuery lookups() {
        return engine.lookups();
    }

    @Override
    public void close() {
        engine.close();
    }
}
