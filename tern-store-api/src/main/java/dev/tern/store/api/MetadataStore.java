package dev.tern.store.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A small durable key-value area for the engine's own state (groups, timers, transactions). Keys are
 * ordered as unsigned bytes, so that big-endian numbers in keys sort numerically and a range scan can
 * walk timers in due order. Not meant for message payloads.
 */
public interface MetadataStore {

    CompletableFuture<Void> put(byte[] key, byte[] value, Durability durability);

    CompletableFuture<Optional<byte[]>> get(byte[] key);

    CompletableFuture<Void> delete(byte[] key, Durability durability);

    /**
     * Applies puts and deletes atomically: after a crash either all or none are visible. A null value in
     * {@code puts} is not allowed; use {@code deletes}.
     */
    CompletableFuture<Void> write(Map<byte[], byte[]> puts, List<byte[]> deletes, Durability durability);

    /** Entries with {@code from <= key < to} in key order, at most {@code limit}. */
    CompletableFuture<List<Entry>> scan(byte[] from, byte[] to, int limit);

    record Entry(byte[] key, byte[] value) {
    }
}
