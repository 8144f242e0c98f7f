package dev.tern.store.api;

import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * Committed consumer-group offsets per (group, topic, queue). A commit survives a process crash once its
 * future completes; deleting a topic deletes its offsets.
 */
public interface GroupOffsets {

    /** Commits an offset. Fails with TOPIC_NOT_FOUND, QUEUE_NOT_FOUND or INVALID_ARGUMENT. */
    CompletableFuture<Void> commit(String group, String topic, int queue, long offset);

    CompletableFuture<OptionalLong> fetch(String group, String topic, int queue);

    /** Every offset the group has committed, sorted by topic and queue. */
    CompletableFuture<List<GroupOffset>> list(String group);

    /** Every group with at least one committed offset, sorted. */
    CompletableFuture<List<String>> groups();

    /** Forgets all of a group's offsets. */
    CompletableFuture<Void> deleteGroup(String group);
}
