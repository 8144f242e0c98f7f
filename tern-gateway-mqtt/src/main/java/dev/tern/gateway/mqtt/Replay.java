package dev.tern.gateway.mqtt;

import dev.tern.engine.Engine;
import dev.tern.engine.PullRequest;
import dev.tern.engine.PullResult;
import dev.tern.store.api.ReadResult;
import dev.tern.store.api.StoredRecord;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What a persistent session missed while it was away: the QoS 1/2 messages of its Tern topics between the
 * position saved when it disconnected and where the shared readers stood when it came back. Read with
 * the engine's pull, filtered by the session's own filters, and offered before anything live.
 */
final class Replay {
    private static final int BATCH = 256;

    private Replay() {
    }

    /** Holds live deliveries while a replay runs, then lets through those the replay did not cover. */
    static final class Gate {
        private boolean holding;
        private final List<Outbox.Pending> held = new ArrayList<>();

        synchronized void close() {
            holding = true;
        }

        synchronized boolean hold(Delivery d, int qos, boolean retain, List<Integer> ids) {
            if (!holding) return false;
            held.add(new Outbox.Pending(d, qos, retain, ids));
            return true;
        }

        /** Per queue key, the lowest offset held. */
        synchronized Map<String, Long> lowestHeld() {
            Map<String, Long> m = new java.util.HashMap<>();
            for (Outbox.Pending p : held) {
                Delivery d = p.delivery();
                if (d.ternTopic() != null) m.merge(Outbox.queueKey(d.ternTopic(), d.queue()), d.offset(), Math::min);
            }
            return m;
        }

        /** Releases held deliveries at or past {@code replayedTo} (per queue key); older ones the replay sent. */
        synchronized void open(Outbox outbox, Map<String, Long> replayedTo) {
            for (Outbox.Pending p : held) {
                Delivery d = p.delivery();
                Long to = replayedTo.get(Outbox.queueKey(d.ternTopic(), d.queue()));
                if (to == null || d.offset() >= to) outbox.offer(d, p.qos(), p.retain(), p.subscriptionIds());
            }
            held.clear();
            holding = false;
        }
    }

    /** Replays [from, to) of every queue key in {@code from}, one queue after another. */
    static CompletableFuture<Void> run(Engine engine, Session session, Map<String, Long> from, Map<String, Long> to) {
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (Iterator<Map.Entry<String, Long>> it = from.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Long> e = it.next();
            Long end = to.get(e.getKey());
            if (end == null || e.getValue() >= end) continue;
            int hash = e.getKey().lastIndexOf('#');
            String topic = e.getKey().substring(0, hash);
            int queue = Integer.parseInt(e.getKey().substring(hash + 1));
            long start = e.getValue();
            chain = chain.thenCompose(v -> queue(engine, session, topic, queue, start, end));
        }
        return chain;
    }

    private static CompletableFuture<Void> queue(Engine engine, Session s, String topic, int queue, long offset, long end) {
        if (offset >= end) return CompletableFuture.completedFuture(null);
        return engine.pull(new PullRequest(topic, queue, offset, BATCH, Duration.ZERO)).thenCompose(r -> {
            long next;
            try (PullResult res = r) {
                next = res.nextOffset();
                if (res.status() == ReadResult.Status.FOUND) {
                    for (StoredRecord rec : res.records()) {
                        if (rec.queueOffset() >= end) break;
                        offer(s, Delivery.of(rec.message()));
                    }
                } else if (res.status() == ReadResult.Status.NO_MESSAGES || next <= offset) {
                    return CompletableFuture.completedFuture(null);
                }
            }
            return queue(engine, s, topic, queue, next, end);
        });
    }

    private static void offer(Session s, Delivery d) {
        int best = -1;
        boolean retain = false;
        List<Integer> ids = new ArrayList<>();
        for (Subscription sub : s.subscriptions.values()) {
            if (!TopicNames.matches(sub.filter(), d.mqttTopic())) continue;
            if (sub.noLocal() && s.clientId.equals(d.publisher())) continue;
            best = Math.max(best, Math.min(sub.qos(), d.qos()));
            retain |= sub.retainAsPublished() && d.retain();
            if (sub.identifier() > 0) ids.add(sub.identifier());
        }
        // QoS 0 messages are not queued for an absent session [MQTT-3.1.2-5 allows dropping them]
        if (best > 0) s.outbox.offer(d, best, retain, ids);
    }
}
