package dev.tern.store.memory;

import dev.tern.common.error.TernException;
import dev.tern.store.api.Durability;
import dev.tern.store.api.MetadataStore;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The metadata area: a map sorted by unsigned bytes. One lock makes a {@link #write} batch atomic to
 * readers too, not only across a crash. Keys and values are copied in and out, since arrays are mutable.
 * A batch's ops are all checked and copied before the lock is taken, then applied in order under it.
 */
final class MemoryMetadata implements MetadataStore {
    private final Gate gate;
    private final TreeMap<byte[], byte[]> entries = new TreeMap<>(Arrays::compareUnsigned);
    private final ReadWriteLock lock = new ReentrantReadWriteLock();

    MemoryMetadata(Gate gate) {
        this.gate = gate;
    }

    @Override
    public CompletableFuture<Void> put(byte[] key, byte[] value, Durability durability) {
        return gate.run(() -> apply(List.of(new Put(checkKey(key), checkValue(value))), durability));
    }

    @Override
    public CompletableFuture<Optional<byte[]>> get(byte[] key) {
        return gate.call(() -> {
            checkKey(key);
            lock.readLock().lock();
            try {
                return Optional.ofNullable(entries.get(key)).map(byte[]::clone);
            } finally {
                lock.readLock().unlock();
            }
        });
    }

    @Override
    public CompletableFuture<Void> delete(byte[] key, Durability durability) {
        return gate.run(() -> apply(List.of(new Delete(checkKey(key))), durability));
    }

    @Override
    public CompletableFuture<Void> write(List<Op> ops, Durability durability) {
        return gate.run(() -> {
            if (ops == null) throw TernException.invalid("a metadata write needs a list of ops");
            apply(ops, durability);
        });
    }

    private void apply(List<Op> ops, Durability durability) {
        if (durability == null) throw TernException.invalid("no durability given");
        // everything is checked and copied before the lock, so a bad op applies nothing
        List<Op> copies = new ArrayList<>(ops.size());
        for (Op op : ops) {
            copies.add(switch (op) {
                case null -> throw TernException.invalid("a metadata write holds a null op");
                case Put p -> new Put(checkKey(p.key()).clone(), checkValue(p.value()).clone());
                case Delete d -> new Delete(checkKey(d.key()).clone());
            });
        }
        lock.writeLock().lock();
        try {
            for (Op op : copies) {
                switch (op) {
                    case Put p -> entries.put(p.key(), p.value());
                    case Delete d -> entries.remove(d.key());
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public CompletableFuture<List<Entry>> scan(byte[] from, byte[] to, int limit) {
        return gate.call(() -> {
            if (limit < 1) throw TernException.invalid("limit must be at least 1, not " + limit);
            if (from != null && to != null && Arrays.compareUnsigned(from, to) >= 0) return List.of();
            lock.readLock().lock();
            try {
                NavigableMap<byte[], byte[]> range = entries;
                if (from != null) range = range.tailMap(from, true);
                if (to != null) range = range.headMap(to, false);
                List<Entry> out = new ArrayList<>(Math.min(limit, 256));
                for (Map.Entry<byte[], byte[]> e : range.entrySet()) {
                    if (out.size() == limit) break;
                    out.add(new Entry(e.getKey().clone(), e.getValue().clone()));
                }
                return out;
            } finally {
                lock.readLock().unlock();
            }
        });
    }

    private static byte[] checkKey(byte[] key) {
        if (key == null || key.length == 0) throw TernException.invalid("a metadata key cannot be null or empty");
        return key;
    }

    private static byte[] checkValue(byte[] value) {
        if (value == null) throw TernException.invalid("a metadata value is required (use delete to remove a key)");
        return value;
    }
}
