package dev.tern.gateway.mqtt;

import dev.tern.engine.ConsumeMode;
import dev.tern.engine.Engine;
import dev.tern.engine.JoinRequest;
import dev.tern.engine.Membership;
import dev.tern.engine.PullRequest;
import dev.tern.engine.PullResult;
import dev.tern.engine.StartPosition;
import dev.tern.engine.TopicQueue;
import dev.tern.store.api.ReadResult;
import dev.tern.store.api.StoredRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * One MQTT share group ({@code $share/g/filter}) on this node, as a member of the engine consumer group
 * {@code mqtt-share-<g>} in CLUSTERING mode: the engine assigns each queue of the group's Tern topics to
 * one node, so across nodes each message goes to one member; on this node it goes to one of the group's
 * sessions in turn. The member reads its queues from the group's committed offsets and commits as it
 * hands messages over (at least once). Membership is refreshed by {@link #heartbeat()}.
 */
final class SharedGroup {
    private static final Logger log = LoggerFactory.getLogger(SharedGroup.class);
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final String share;
    private final String group;
    private final Engine engine;
    private final Sessions sessions;
    private final Executor executor;
    private final long startedAt = System.currentTimeMillis();
    private String memberId;
    private Set<String> topics = Set.of();
    private Set<TopicQueue> assigned = Set.of();
    private final Set<TopicQueue> reading = new HashSet<>();
    private volatile boolean closed;

    SharedGroup(String share, Engine engine, Sessions sessions, Executor executor) {
        this.share = share;
        this.group = "mqtt-share-" + TopicMapping.encodeLevel(share);
        this.engine = engine;
        this.sessions = sessions;
        this.executor = executor;
    }

    /** (Re-)joins with the Tern topics the group's local filters need; leaves when there are none. */
    synchronized CompletableFuture<Void> update(Set<String> wanted) {
        if (wanted.equals(topics) && memberId != null) return CompletableFuture.completedFuture(null);
        topics = Set.copyOf(wanted);
        if (topics.isEmpty()) return leave();
        // messages stored since the group first appeared here count, so a SUBACK is not followed by a gap
        JoinRequest join = new JoinRequest(group, memberId, "mqtt-gateway", topics, ConsumeMode.CLUSTERING, StartPosition.at(startedAt));
        return engine.groups().join(join).thenAccept(this::assign);
    }

    synchronized CompletableFuture<Void> leave() {
        String id = memberId;
        memberId = null;
        assigned = Set.of();
        return id == null ? CompletableFuture.completedFuture(null) : engine.groups().leave(group, id);
    }

    void heartbeat() {
        String id;
        synchronized (this) {
            id = memberId;
        }
        if (id == null || closed) return;
        engine.groups().heartbeat(group, id).whenComplete((m, e) -> {
            if (e == null) {
                assign(m);
                return;
            }
            synchronized (this) {
                memberId = null; // expired: join again with a new id
                Set<String> t = topics;
                topics = Set.of();
                update(t);
            }
        });
    }

    void close() {
        closed = true;
        leave();
    }

    private void assign(Membership m) {
        synchronized (this) {
            memberId = m.memberId();
            assigned = Set.copyOf(m.assigned());
            for (TopicQueue tq : assigned) {
                if (reading.add(tq)) start(tq);
            }
        }
    }

    private void start(TopicQueue tq) {
        String id = memberId;
        engine.groups().position(group, id, tq.topic(), tq.queue())
                .whenCompleteAsync((offset, e) -> {
                    if (e != null) stop(tq, e);
                    else pull(tq, offset);
                }, executor);
    }

    private void pull(TopicQueue tq, long offset) {
        if (!stillMine(tq)) return;
        engine.pull(new PullRequest(tq.topic(), tq.queue(), offset, 256, WAIT))
                .whenCompleteAsync((r, e) -> {
                    if (e != null) {
                        stop(tq, e);
                        return;
                    }
                    long next;
                    try (PullResult res = r) {
                        next = res.nextOffset();
                        if (res.status() == ReadResult.Status.FOUND && stillMine(tq)) {
                            for (StoredRecord rec : res.records()) sessions.routeShared(share, Delivery.of(rec.message()));
                        }
                    }
                    commitThenPull(tq, offset, next);
                }, executor);
    }

    private void commitThenPull(TopicQueue tq, long offset, long next) {
        String id;
        synchronized (this) {
            id = memberId;
        }
        if (next == offset || id == null) {
            pull(tq, next);
            return;
        }
        engine.groups().commit(group, id, tq.topic(), tq.queue(), next).whenCompleteAsync((v, e) -> pull(tq, next), executor);
    }

    private synchronized boolean stillMine(TopicQueue tq) {
        if (!closed && assigned.contains(tq)) return true;
        reading.remove(tq);
        return false;
    }

    private synchronized void stop(TopicQueue tq, Throwable e) {
        reading.remove(tq);
        if (!closed) log.debug("mqtt share {} stops reading {}: {}", share, tq, e.toString());
    }
}
