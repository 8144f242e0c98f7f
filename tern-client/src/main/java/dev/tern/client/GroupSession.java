package dev.tern.client;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.engine.Membership;
import dev.tern.engine.TopicQueue;
import dev.tern.protocol.Request;
import dev.tern.protocol.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

/**
 * A consumer's membership of its group: joins, heartbeats every {@code heartbeatIntervalMs} and hands every
 * new assignment to a callback. A member the server no longer knows (its session expired, or its connection
 * dropped and the server let it go) gives up its queues at once and joins again with the same id. Only one
 * join or heartbeat is on its way at a time, and an answer of an older generation is ignored, so
 * assignments are applied in order.
 */
final class GroupSession {
    private static final Logger log = LoggerFactory.getLogger(GroupSession.class);

    private final Connection connection;
    private final ConsumerConfig config;
    private final String clientId;
    private final ScheduledExecutorService scheduler;
    private final Consumer<List<TopicQueue>> onAssignment;
    private final Semaphore busy = new Semaphore(1); // one join or heartbeat at a time
    private volatile List<String> topics = List.of();
    private volatile Membership membership;
    private volatile String memberId;
    private ScheduledFuture<?> heartbeats; // guarded by this
    private volatile boolean closed;

    GroupSession(Connection connection, ConsumerConfig config, String clientId, ScheduledExecutorService scheduler,
                 Consumer<List<TopicQueue>> onAssignment) {
        this.connection = connection;
        this.config = config;
        this.clientId = clientId;
        this.scheduler = scheduler;
        this.onAssignment = onAssignment;
        this.memberId = config.memberId();
    }

    /** Joins with these topics (again, when already a member) and starts heartbeating; blocks until joined. */
    Membership join(List<String> topics) {
        this.topics = List.copyOf(topics);
        busy.acquireUninterruptibly(); // a heartbeat may be on its way: wait for it
        try {
            Membership m = Futures.get(joinAsync());
            startHeartbeats();
            return m;
        } finally {
            busy.release();
        }
    }

    private CompletableFuture<Membership> joinAsync() {
        Request.JoinGroup req = new Request.JoinGroup(config.group(), memberId, clientId, topics, config.mode(), config.start());
        return connection.call(req, Response.Joined.class).thenApply(r -> apply(r.membership()));
    }

    private synchronized void startHeartbeats() {
        if (heartbeats != null || closed) return;
        long every = config.heartbeatIntervalMs();
        heartbeats = scheduler.scheduleWithFixedDelay(this::heartbeat, every, every, TimeUnit.MILLISECONDS);
    }

    private void heartbeat() {
        if (closed || memberId == null || !busy.tryAcquire()) return;
        connection.call(new Request.Heartbeat(config.group(), memberId), Response.Heartbeated.class)
                .thenApply(r -> apply(r.membership()))
                .exceptionallyCompose(this::recover)
                .whenComplete((m, e) -> {
                    busy.release();
                    if (e != null && !closed) log.debug("heartbeat of {} in {} failed: {}", memberId, config.group(), Futures.unwrap(e).toString());
                });
    }

    /** An unknown member gives up its queues at once and joins again; other failures wait for the next beat. */
    private CompletableFuture<Membership> recover(Throwable failure) {
        TernException e = Futures.unwrap(failure);
        if (e.code() != ErrorCode.UNKNOWN_MEMBER || closed) return CompletableFuture.failedFuture(e);
        log.info("member {} of group {} lost its session; joining again", memberId, config.group());
        membership = null;
        onAssignment.accept(List.of());
        return joinAsync();
    }

    private Membership apply(Membership m) {
        Membership current = membership;
        memberId = m.memberId();
        if (closed || (current != null && m.generation() < current.generation())) return m;
        membership = m;
        if (current == null || current.generation() != m.generation() || !current.assigned().equals(m.assigned())) {
            log.debug("member {} of group {}: generation {}, queues {}", m.memberId(), m.group(), m.generation(), m.assigned());
            onAssignment.accept(m.assigned());
        }
        return m;
    }

    String memberId() {
        return memberId;
    }

    /** The last membership the server confirmed, or null before the first join. */
    Membership membership() {
        return membership;
    }

    /** Stops heartbeating and leaves the group (the server reassigns the queues at once). */
    CompletableFuture<Void> leave() {
        synchronized (this) {
            closed = true;
            if (heartbeats != null) heartbeats.cancel(false);
        }
        if (memberId == null || membership == null) return CompletableFuture.completedFuture(null);
        return connection.call(new Request.LeaveGroup(config.group(), memberId), Response.Ack.class).thenApply(a -> null);
    }
}
