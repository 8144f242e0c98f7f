package dev.tern.gateway.mqtt;

import io.netty.channel.Channel;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The MQTT session of one connection: client id, subscriptions, the outbox towards the client and the
 * QoS 2 packet ids received but not yet released. A persistent session's subscriptions and position are
 * saved in the store when the connection ends ({@link SessionStore}) and loaded by the next connection
 * with the same client id, so a session object never outlives its connection.
 */
final class Session {
    final String clientId;
    final Channel channel;
    final boolean mqtt5;
    /** Subscriptions by the filter as the client wrote it. */
    final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    /** QoS 2 packet ids stored and answered with PUBREC, waiting for PUBREL. */
    final Set<Integer> awaitingRelease = ConcurrentHashMap.newKeySet();
    final Outbox outbox;
    /** 0: ends with the connection; otherwise seconds to keep it after (MQTT 3.1.1 persistent: forever). */
    volatile long expirySeconds;
    volatile Will will;
    /** Completes when the session has ended and, if persistent, been saved (a takeover waits for it). */
    final java.util.concurrent.CompletableFuture<Void> ended = new java.util.concurrent.CompletableFuture<>();
    /** The positions it was restored from while its replay runs (kept if it leaves before the replay ends). */
    volatile Map<String, Long> replayFrom = Map.of();
    private final Replay.Gate gate = new Replay.Gate();

    Session(String clientId, Channel channel, boolean mqtt5, long expirySeconds, Outbox outbox) {
        this.clientId = clientId;
        this.channel = channel;
        this.mqtt5 = mqtt5;
        this.expirySeconds = expirySeconds;
        this.outbox = outbox;
    }

    boolean persistent() {
        return expirySeconds != 0;
    }

    /** Delivers a matched message, or holds it while the session replays what it missed. */
    void deliver(Delivery d, int qos, boolean retain, List<Integer> subscriptionIds) {
        if (gate.hold(d, qos, retain, subscriptionIds)) return;
        outbox.offer(d, qos, retain, subscriptionIds);
    }

    Replay.Gate gate() {
        return gate;
    }
}
