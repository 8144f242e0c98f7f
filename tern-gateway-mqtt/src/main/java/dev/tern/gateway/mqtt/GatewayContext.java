package dev.tern.gateway.mqtt;

import dev.tern.engine.Engine;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What every connection of the gateway shares: the engine, the session table, readers, retained messages, the
 * stores of sessions and of QoS 2 ids awaiting release; the
 * reader threads ({@code executor}, where readers and catch-ups handle their pulls) and the timer.
 */
record GatewayContext(Engine engine, MqttGatewayConfig config, Sessions sessions, TopicReaders readers,
                      TopicProvisioner topics, RetainedMessages retained, SessionStore sessionStore, ReleaseStore releases,
                      Publisher publisher, Executor executor, ScheduledExecutorService scheduler, Set<CompletableFuture<?>> pendingWork) {

    GatewayContext {
        if (pendingWork == null) pendingWork = ConcurrentHashMap.newKeySet();
    }

    /** Tracks work the gateway must let finish before it closes (session saves, wills). */
    <T> CompletableFuture<T> track(CompletableFuture<T> f) {
        pendingWork.add(f);
        f.whenComplete((v, e) -> pendingWork.remove(f));
        return f;
    }
}
