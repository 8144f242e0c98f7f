package dev.tern.store.api;

/** A consumer group's committed offset in one queue: the next offset the group will consume. */
public record GroupOffset(String group, String topic, int queue, long offset) {
}
