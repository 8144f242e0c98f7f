package dev.tern.engine;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Consumer groups. Members join with the topics they subscribe to and heartbeat; the coordinator assigns
 * the queues of those topics among the live members (CLUSTERING: each queue to exactly one member;
 * BROADCAST: every member gets every queue, with offsets of its own) and reassigns when a member joins,
 * leaves or misses heartbeats for {@code group.session.timeout.ms}. Every assignment change bumps the
 * group's generation; a member learns its new queues from its next heartbeat. While the membership is
 * stable no queue is assigned to two members.
 * <p>
 * Offsets are committed per (group, topic, queue) in the store; a group with no committed offset for a
 * queue starts where its {@link StartPosition} says.
 */
public interface GroupCoordinator {

    /**
     * Joins (or re-joins, with the same member id) a group. Returns the member's assignment. A null mode
     * means CLUSTERING, a null start position latest. A member id is 1 to 64 letters, digits, '.', '_' or
     * '-' (the engine makes one up when none is given). Subscribing to a topic that does not exist yet is
     * allowed: its queues are assigned once it is created. Fails with INVALID_ARGUMENT for a bad group
     * name (names containing {@code %%} are reserved), member id or topic name, no topics, or a mode other
     * than that of the group's live members.
     */
    CompletableFuture<Membership> join(JoinRequest request);

    /**
     * Keeps the member alive and returns its current assignment. Fails with UNKNOWN_MEMBER when the member
     * expired or never joined: the client must join again.
     */
    CompletableFuture<Membership> heartbeat(String group, String memberId);

    /** Leaves the group at once (its queues are reassigned now, not after the session timeout). Leaving twice is harmless. */
    CompletableFuture<Void> leave(String group, String memberId);

    /**
     * Commits the next offset to consume. In BROADCAST mode pass the member id, whose offsets are its
     * own; in CLUSTERING mode memberId may be null. Fails with OFFSET_OUT_OF_RANGE past the queue's next
     * offset, INVALID_ARGUMENT for a negative offset (or no member id in BROADCAST mode), UNKNOWN_MEMBER
     * when a member id is given that is not a live member (an expired member cannot commit),
     * TOPIC_NOT_FOUND, QUEUE_NOT_FOUND.
     */
    CompletableFuture<Void> commit(String group, String memberId, String topic, int queue, long offset);

    /**
     * Where the group (or, in BROADCAST mode, the member) consumes a queue from: the committed offset, or
     * the start position (the member's, else that of the group's first member, else latest) resolved
     * against the queue when nothing is committed. A resolved start is committed at once, so that
     * "latest" stays where it was first resolved. Member ids are checked as for {@link #commit}.
     */
    CompletableFuture<Long> position(String group, String memberId, String topic, int queue);

    /** Groups known to the engine: live ones and those with committed offsets, sorted. */
    CompletableFuture<List<String>> list();

    /** Members, assignments, committed offsets and lag of a group; empty if the group is unknown. */
    CompletableFuture<Optional<GroupDescription>> describe(String group);
}
