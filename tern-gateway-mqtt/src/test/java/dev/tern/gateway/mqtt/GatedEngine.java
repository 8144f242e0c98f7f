package dev.tern.gateway.mqtt;

import dev.tern.common.error.TernException;
import dev.tern.common.message.Message;
import dev.tern.engine.Engine;
import dev.tern.engine.QueueTarget;
import dev.tern.engine.SendResult;
import dev.tern.store.api.Durability;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An engine whose sends can be held (their futures complete only when {@link #open} is called, after the
 * real send) or failed with a given error, to see what the gateway tells a publisher meanwhile.
 */
final class GatedEngine extends ForwardingEngine {
    private volatile CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);
    private volatile TernException failure;
    final AtomicInteger sends = new AtomicInteger();

    GatedEngine(Engine engine) {
        super(engine);
    }

    /** Sends from now on wait for {@link #open}. */
    void hold() {
        gate = new CompletableFuture<>();
    }

    void open() {
        gate.complete(null);
    }

    /** Sends from now on fail with {@code e} (null: succeed again). */
    void failWith(TernException e) {
        failure = e;
    }

    @Override
    public CompletableFuture<List<SendResult>> send(String topic, QueueTarget target, List<Message> batch, Durability durability) {
        sends.incrementAndGet();
        TernException e = failure;
        if (e != null) return CompletableFuture.failedFuture(e);
        CompletableFuture<Void> g = gate;
        return engine.send(topic, target, batch, durability).thenCombine(g, (r, v) -> r);
    }
}
