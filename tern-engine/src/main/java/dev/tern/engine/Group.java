package dev.tern.engine;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The live state of one consumer group: its members, mode, generation and assignment.
 * <p>
 * Changes of membership (join, leave, expiry, a subscribed topic appearing or going) run one at a time,
 * in arrival order, through {@link #enqueue}: each first fetches the queue counts it needs from the store
 * (asynchronously, no lock held), then changes the state under this object's monitor. Reads (heartbeat,
 * describe) take the monitor only. A group left with no members is {@linkplain #removed removed} from
 * the coordinator; an operation that finds its group removed starts over on a fresh one.
 */
final class Group {
    final String name;
    /** The mode and start position of the member that made the group live; later members must agree on the mode. */
    ConsumeMode mode = ConsumeMode.CLUSTERING;
    StartPosition start = StartPosition.latest();
    long generation;
    boolean removed;
    /** An expiry operation is queued; no need to queue another. */
    boolean expiryQueued;
    final TreeMap<String, Member> members = new TreeMap<>();
    private CompletableFuture<?> tail = CompletableFuture.completedFuture(null);

    Group(String name) {
        this.name = name;
    }

    /** Runs {@code op} on {@code executor} after every operation queued before it has finished (or failed). */
    synchronized <T> CompletableFuture<T> enqueue(Supplier<CompletableFuture<T>> op, Executor executor) {
        CompletableFuture<T> next = tail.handle((v, e) -> null).thenComposeAsync(x -> op.get(), executor);
        tail = next;
        return next;
    }

    /** Topics any member subscribes to. Caller holds the monitor. */
    Set<String> subscribedTopics() {
        Set<String> topics = new HashSet<>();
        for (Member m : members.values()) topics.addAll(m.topics);
        return topics;
    }

    /**
     * Recomputes the assignment; bumps the generation when the membership or any member's queues
     * changed. Caller holds the monitor. Returns whether the generation moved.
     */
    boolean reassign(Map<String, Integer> queueCounts, boolean membershipChanged) {
        Map<String, List<TopicQueue>> next = Assignor.assign(mode, members.values(), queueCounts);
        boolean changed = membershipChanged;
        for (Member m : members.values()) {
            if (!m.assigned.equals(next.get(m.id))) changed = true;
        }
        if (!changed) return false;
        generation++;
        for (Member m : members.values()) m.assigned = next.get(m.id);
        return true;
    }

    /** Caller holds the monitor. */
    Membership membership(Member m) {
        return new Membership(name, m.id, generation, m.assigned);
    }

    /** Caller holds the monitor. */
    String ownerOf(TopicQueue queue) {
        for (Member m : members.values()) {
            if (m.assigned.contains(queue)) return m.id;
        }
        return null;
    }
}
