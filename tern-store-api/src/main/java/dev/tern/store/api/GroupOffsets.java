package dev.tern.store.api;

import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * Committed consumer-group offsets per (group, topic, queue). A commit survives a process crash once its
 * future completes, and a machine crash too when it was made with {@link Durability#SYNC}; deleting a
 * topic deletes its offsets.
 */
public interface GroupOffsets {

    /**
     * Commits an offset, replacing the group's previous one for that queue (it may move back). Checks
     * the group name ({@link dev.tern.common.Names#checkGroup}: INVALID_ARGUMENT), that the topic exists
     * (TOPIC_NOT_FOUND) and has the queue (QUEUE_NOT_FOUND), and that {@code offset >= 0}
     * (INVALID_ARGUMENT). An offset past the queue's next offset is accepted: the store does not judge
     * offsets against the queue's range, the engine decides what a commit may say.
     */
    CompletableFuture<Void> commit(String group, String topic, int queue, long offset, Durability durability);

    /** {@link #commit(String, String, int, long, Durability)} with {@link Durability#ASYNC}. */
    default CompletableFuture<Void> commit(String group, String topic, int queue, long offset) {
        return commit(group, topic, queue, offset, Durability.ASYNC);
    }

    /**
     * The group's committed offset in a queue; empty when there is none, including for a group that
     * never committed, a topic that does not exist and a queue the topic does not have (no error).
     */
    CompletableFuture<OptionalLong> fetch(String group, String topic, int queue);

    /** Every offset the group has committed, sorted by topic and queue. */
    CompletableFuture<List<GroupOffset>> list(String group);

    /** Every group with at least one committed offset, sorted. */
    CompletableFuture<List<String>> groups();

    /** Forgets all of a group's offsets. */
    CompletableFuture<Void> deleteGroup(String group);
}
