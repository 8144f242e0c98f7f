package dev.tern.engine;

import dev.tern.common.Clock;
import dev.tern.common.message.Message;
import dev.tern.common.message.StoredMessage;
import dev.tern.store.api.MessageStore;
import dev.tern.store.api.ReadResult;
import dev.tern.store.api.StoredRecord;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.tern.testsupport.Await.result;

/** A store of one kind with an engine over it, and the steps tests repeat. Owns both. */
final class EngineHarness implements AutoCloseable {
    private final StoreKind kind;
    private final Path dir;
    private final Clock storeClock;
    private final EngineConfig config;
    private final EngineMetrics metrics;
    private final AtomicInteger names = new AtomicInteger();
    private MessageStore store;
    private Engine engine;

    EngineHarness(StoreKind kind, Path dir) {
        this(kind, dir, Clock.SYSTEM, EngineConfig.defaults(), EngineMetrics.NONE);
    }

    EngineHarness(StoreKind kind, Path dir, EngineConfig config) {
        this(kind, dir, Clock.SYSTEM, config, EngineMetrics.NONE);
    }

    EngineHarness(StoreKind kind, Path dir, Clock storeClock, EngineConfig config, EngineMetrics metrics) {
        this.kind = kind;
        this.dir = dir;
        this.storeClock = storeClock;
        this.config = config;
        this.metrics = metrics;
        this.store = kind.open(dir, storeClock);
        this.engine = Engines.create(store, config, metrics);
    }

    Engine engine() {
        return engine;
    }

    MessageStore store() {
        return store;
    }

    /** Closes the engine and the store, then opens both again over the same directory. */
    void restart() {
        engine.close();
        store.close();
        store = kind.open(dir, storeClock);
        engine = Engines.create(store, config, metrics);
    }

    /** Creates a topic with a fresh name. */
    String topic(int queues) {
        String name = "topic-" + names.incrementAndGet();
        result(engine.topics().create(name, queues, Map.of()));
        return name;
    }

    List<SendResult> send(String topic, QueueTarget target, Message... batch) {
        return result(engine.send(topic, target, List.of(batch), null));
    }

    SendResult send(String topic, int queue, Message m) {
        return send(topic, QueueTarget.queue(queue), m).getFirst();
    }

    PullResult pull(String topic, int queue, long offset, int max) {
        return result(engine.pull(new PullRequest(topic, queue, offset, max, Duration.ZERO)));
    }

    /** Every message of a queue from {@code offset} to its end, decoded (so they outlive the reads). */
    List<StoredMessage> pullAll(String topic, int queue, long offset, String filter) {
        List<StoredMessage> out = new ArrayList<>();
        long next = offset;
        for (int i = 0; i < 10_000; i++) {
            try (PullResult r = result(engine.pull(new PullRequest(topic, queue, next, 100, 4 << 20, Duration.ZERO, filter)))) {
                for (StoredRecord rec : r.records()) out.add(rec.message());
                if (r.status() != ReadResult.Status.FOUND && r.nextOffset() == next) return out;
                next = r.nextOffset();
            }
        }
        throw new AssertionError("pulling " + topic + "/" + queue + " did not reach the end");
    }

    @Override
    public void close() {
        engine.close();
        store.close();
    }
}
