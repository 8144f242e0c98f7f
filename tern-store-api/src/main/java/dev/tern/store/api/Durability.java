package dev.tern.store.api;

/** How durable a write must be before its future completes. */
public enum Durability {
    /** Completes once the write is in the store's memory (for the local store: the OS page cache); flushed soon after. */
    ASYNC,
    /** Completes only once the write is on stable storage (fsync'd); concurrent writes share one flush. */
    SYNC
}
