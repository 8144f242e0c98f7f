package dev.tern.gateway.mqtt;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.engine.Engine;
import dev.tern.engine.TopicAdmin;
import dev.tern.engine.TopicDescription;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An engine that refuses to create more than {@code max} topics through its topic administration, with
 * LIMIT_EXCEEDED as an engine topic limit ({@code topic.max.count}) answers: the seam for the gateway's path
 * when the engine refuses a topic it needs.
 */
final class TopicLimitEngine extends ForwardingEngine {
    private final int max;
    private final AtomicInteger created = new AtomicInteger();

    TopicLimitEngine(Engine engine, int max) {
        super(engine);
        this.max = max;
    }

    @Override
    public TopicAdmin topics() {
        TopicAdmin admin = engine.topics();
        return new TopicAdmin() {
            @Override
            public CompletableFuture<TopicDescription> create(String name, int queues, Map<String, String> config) {
                if (created.incrementAndGet() > max) {
                    created.decrementAndGet();
                    return CompletableFuture.failedFuture(new TernException(ErrorCode.LIMIT_EXCEEDED,
                            "topic '" + name + "' not created: " + max + " topics exist, the limit (topic.max.count)"));
                }
                return admin.create(name, queues, config);
            }

            @Override
            public CompletableFuture<Void> delete(String name) {
                return admin.delete(name);
            }

            @Override
            public CompletableFuture<List<TopicDescription>> list() {
                return admin.list();
            }

            @Override
            public CompletableFuture<Optional<TopicDescription>> describe(String name) {
                return admin.describe(name);
            }
        };
    }
}
