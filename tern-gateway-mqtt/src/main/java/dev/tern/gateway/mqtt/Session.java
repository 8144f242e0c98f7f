package dev.tern.gateway.mqtt;

import io.netty.channel.Channel;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The MQTT session of one connection: client id, subscriptions, the outbox towards the client, the queues it
 * is behind on ({@link CatchUp}) and the QoS 2 packet ids received but not yet released. A persistent session's
 * subscriptions and position are saved in the store when the connection ends ({@link SessionStore}), its QoS 2
 * ids as they come and go ({@link ReleaseStore}), and loaded by the next connection with the same client id, so
 * a session object never outlives its connection.
 */
final class Session {
    final String clientId;
    final Channel channel;
    final boolean mqtt5;
    /** Subscriptions by the filter as the client wrote it. */
    final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    /**
     * QoS 2 packet ids from their PUBLISH to their PUBREL: the future completes once the message is stored (and,
     * for a persistent session, the id recorded in the {@link ReleaseStore}), when the PUBREC may leave. I/O thread only.
     */
    final Map<Integer, java.util.concurrent.CompletableFuture<Void>> awaitingRelease = new java.util.HashMap<>();
    /** The ids of {@link #awaitingRelease} recorded in the {@link ReleaseStore} (removed there on PUBREL). I/O thread only. */
    final Set<Integer> recordedReleases = new java.util.HashSet<>();
    /** Whether this session wrote anything to the store (to be deleted if it ends not persistent). */
    volatile boolean stored;
    final Outbox outbox;
    final CatchUp catchUp;
    /** 0: ends with the connection; otherwise seconds to keep it after (MQTT 3.1.1 persistent: forever). */
    volatile long expirySeconds;
    volatile Will will;
    /** Completes when the session has ended and, if persistent, been saved (a takeover waits for it). */
    final java.util.concurrent.CompletableFuture<Void> ended = new java.util.concurrent.CompletableFuture<>();

    Session(GatewayContext gw, String clientId, Channel channel, boolean mqtt5, long expirySeconds, Outbox outbox) {
        this.clientId = clientId;
        this.channel = channel;
        this.mqtt5 = mqtt5;
        this.expirySeconds = expirySeconds;
        this.outbox = outbox;
        this.catchUp = new CatchUp(gw, this);
        outbox.onRoom(catchUp::wake);
    }

    boolean persistent() {
        return expirySeconds != 0;
    }

    /**
     * Hands a routed message to the outbox: what the session's non-shared subscriptions make of it
     * ({@code direct}) and what a shared one picked for this session does ({@code shared}), either null.
     * A stored message for the direct subscriptions that the outbox cannot take now makes the session fall
     * behind on its queue (the log supplies it later); while behind, the direct part of live deliveries of
     * that queue is ignored. The shared part is offered as before (dropped if the outbox is full). Called by
     * readers under their lock, and by share-group members. Answers whether the outbox got it.
     */
    boolean deliver(Delivery d, Match direct, Match shared) {
        if (direct != null && d.ternTopic() != null) {
            if (catchUp.behind(d)) {
                direct = null;
            } else {
                Match m = Match.merge(direct, shared);
                if (outbox.tryOffer(d, m.qos(), m.retain(), m.ids())) return true;
                catchUp.fellBehind(d);
                // the catch-up reads only for direct subscriptions: a shared one's copy is offered (or counted dropped) now
                if (shared != null) outbox.offer(d, shared.qos(), shared.retain(), shared.ids());
                return false;
            }
        }
        Match m = Match.merge(direct, shared);
        if (m == null) return false;
        outbox.offer(d, m.qos(), m.retain(), m.ids());
        return true;
    }
}
