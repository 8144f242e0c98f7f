package dev.tern.store.api;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A small durable key-value area for the engine's own state (groups, timers, transactions). Keys are
 * ordered as unsigned bytes, so that big-endian numbers in keys sort numerically and a range scan can
 * walk timers in due order. Not meant for message payloads.
 * <p>
 * Keys are never null or empty: {@link #put}, {@link #get}, {@link #delete} and {@link #write} fail
 * with INVALID_ARGUMENT for a null or empty key. Values may be empty, never null.
 */
public interface MetadataStore {

    /** Sets {@code key} to {@code value}. Fails with INVALID_ARGUMENT for a null or empty key or a null value. */
    CompletableFuture<Void> put(byte[] key, byte[] value, Durability durability);

    /** The value of {@code key}, empty if it has none. Fails with INVALID_ARGUMENT for a null or empty key. */
    CompletableFuture<Optional<byte[]>> get(byte[] key);

    /**
     * Removes {@code key}; removing a key that has no value is not an error. Fails with INVALID_ARGUMENT
     * for a null or empty key.
     */
    CompletableFuture<Void> delete(byte[] key, Durability durability);

    /**
     * Applies {@code ops} in order (a later op on a key wins over an earlier one), atomically: after a
     * crash either all or none of them are visible. Every op is checked before anything is applied: a
     * null list, a null op, a null or empty key or a null value fails the whole write with
     * INVALID_ARGUMENT and applies nothing. An empty list is a no-op.
     */
    CompletableFuture<Void> write(List<Op> ops, Durability durability);

    /**
     * Entries with {@code from <= key < to} in key order, at most {@code limit} of them. A null
     * {@code from} means from the first key, a null {@code to} up to and including the last key. An
     * empty range ({@code from >= to}) returns an empty list. Fails with INVALID_ARGUMENT when
     * {@code limit < 1}.
     */
    CompletableFuture<List<Entry>> scan(byte[] from, byte[] to, int limit);

    record Entry(byte[] key, byte[] value) {
    }

    /** One step of a {@link #write}: {@link Op#put} or {@link Op#delete}. */
    sealed interface Op permits Put, Delete {

        /** The key this op changes. */
        byte[] key();

        /** Sets {@code key} to {@code value}. */
        static Op put(byte[] key, byte[] value) {
            return new Put(key, value);
        }

        /** Removes {@code key}. */
        static Op delete(byte[] key) {
            return new Delete(key);
        }
    }

    /** Sets {@code key} to {@code value}; both are checked by {@link #write}, not here. */
    record Put(byte[] key, byte[] value) implements Op {
    }

    /** Removes {@code key}; checked by {@link #write}, not here. */
    record Delete(byte[] key) implements Op {
    }
}
