package dev.tern.gateway.mqtt;

import dev.tern.common.message.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The end of a connection: the will (unless the client disconnected normally), the routes out of the trie,
 * and for a persistent session the save of its subscriptions and resume position.
 * <p>
 * The position is taken from the readers <em>before</em> the routes are removed and lowered to where the
 * session's {@link CatchUp} stands on the queues it is behind on, then to the oldest unacknowledged message of
 * the outbox: a message routed before the snapshot is in the outbox or left to the catch-up, one routed after
 * it is at or past the position, so nothing falls between (at worst some are sent twice).
 */
final class SessionEnd {
    private static final Logger log = LoggerFactory.getLogger(SessionEnd.class);

    private SessionEnd() {
    }

    /**
     * Ends {@code s}; its save (or deletion) waits for {@code inboundSettled}, the publishes the connection was still
     * storing, so a QoS 2 id they record lands before anything the next connection of the client id does.
     */
    static void end(GatewayContext gw, Session s, boolean normal, CompletableFuture<?> inboundSettled) {
        Map<String, Long> positions = readerPositions(gw, s);
        gw.sessions().unregister(s);
        // where the catch-up stands before the outbox closes: what it offered before is in the outbox or acknowledged
        s.catchUp.close().forEach((k, v) -> positions.merge(k, v, Math::min));
        s.outbox.close().forEach((k, v) -> positions.merge(k, v, Math::min));
        if (!normal && s.will != null) publishWill(gw, s.clientId, s.will, s.expirySeconds);
        // a session that was persistent once (5.0 may set its expiry to 0 at DISCONNECT) leaves nothing behind
        CompletableFuture<Void> saved = inboundSettled.handle((v, e) -> null).thenCompose(x -> s.persistent() ? save(gw, s, positions)
                : s.stored ? gw.sessionStore().delete(s.clientId) : CompletableFuture.completedFuture(null));
        gw.track(saved).whenComplete((v, e) -> {
            if (e != null) log.warn("mqtt session {} not saved: {}", s.clientId, e.toString());
            s.ended.complete(null);
        });
    }

    /**
     * Saves a connected persistent session (after SUBSCRIBE/UNSUBSCRIBE and periodically), so a crash of the
     * node — not only a clean stop — keeps its subscriptions and a position at most a few seconds old (the
     * messages after it come again). Runs on the session's I/O thread, so it is ordered before the save of
     * {@link #end}.
     */
    static CompletableFuture<Void> checkpoint(GatewayContext gw, Session s) {
        if (!s.persistent() || !s.channel.isActive() || s.ended.isDone()) return CompletableFuture.completedFuture(null);
        Map<String, Long> positions = readerPositions(gw, s);
        // the catch-up before the outbox: a message it offers in between is at or past its position
        s.catchUp.positions().forEach((k, v) -> positions.merge(k, v, Math::min));
        s.outbox.lowestUnacked().forEach((k, v) -> positions.merge(k, v, Math::min));
        return gw.track(save(gw, s, positions)).whenComplete((v, e) -> {
            if (e != null) log.warn("mqtt session {} checkpoint failed: {}", s.clientId, e.toString());
        });
    }

    private static CompletableFuture<Void> save(GatewayContext gw, Session s, Map<String, Long> positions) {
        s.stored = true;
        return gw.sessionStore().save(s.clientId, new SessionStore.Saved(s.expirySeconds, System.currentTimeMillis(),
                new ArrayList<>(s.subscriptions.values()), positions));
    }

    /** Where the readers of the session's topics stand (taken before its routes leave the trie). */
    private static Map<String, Long> readerPositions(GatewayContext gw, Session s) {
        Map<String, Long> positions = new HashMap<>();
        if (!s.persistent()) return positions;
        for (TopicReader r : gw.readers().running()) {
            if (relevant(s, r.topic())) positions.putAll(r.positions());
        }
        return positions;
    }

    private static boolean relevant(Session s, String ternTopic) {
        for (Subscription sub : s.subscriptions.values()) {
            if (TopicNames.rootWildcard(sub.filter()) || TopicMapping.ternTopic(sub.filter()).equals(ternTopic)) return true;
        }
        return false;
    }

    private static void publishWill(GatewayContext gw, String clientId, Will w, long expirySeconds) {
        Message m = Message.builder(w.payload()).properties(w.properties()).bornTimestamp(System.currentTimeMillis()).build();
        Runnable send = () -> gw.track(gw.publisher().publish(w.topic(), m, w.retain()))
                .whenComplete((r, e) -> {
                    if (e != null) log.warn("mqtt will on {} not published: {}", w.topic(), e.toString());
                });
        // the will waits for its delay or the end of the session, whichever comes first [MQTT-3.1.3-9]
        long delay = expirySeconds < 0 ? w.delaySeconds() : Math.min(w.delaySeconds(), expirySeconds);
        // the client may come back before the delay (or may already have, if its old connection ended late)
        if (delay <= 0 || !gw.sessions().delayWill(clientId, send, delay, gw.scheduler(), gw.config().maxConnections())) send.run();
    }
}
