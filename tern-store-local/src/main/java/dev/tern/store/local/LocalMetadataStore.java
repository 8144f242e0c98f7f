package dev.tern.store.local;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.store.api.Durability;
import dev.tern.store.api.MetadataStore;
import dev.tern.store.local.meta.MetaDb;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** The engine's key-value area, a column family of the metadata database; SYNC writes fsync its log. */
final class LocalMetadataStore implements MetadataStore {
    private final LocalStore store;

    LocalMetadataStore(LocalStore store) {
        this.store = store;
    }

    private static byte[] checkKey(byte[] key) {
        if (key == null || key.length == 0) throw TernException.invalid("a metadata key cannot be empty");
        return key;
    }

    @Override
    public CompletableFuture<Void> put(byte[] key, byte[] value, Durability durability) {
        return Futures.run(() -> {
            store.ensureOpen();
            if (value == null) throw TernException.invalid("a metadata value cannot be null; delete the key instead");
            store.meta.put(MetaDb.Family.METADATA, checkKey(key), value, durability == Durability.SYNC);
        });
    }

    @Override
    public CompletableFuture<Optional<byte[]>> get(byte[] key) {
        return Futures.call(() -> {
            store.ensureOpen();
            return Optional.ofNullable(store.meta.get(MetaDb.Family.METADATA, checkKey(key)));
        });
    }

    @Override
    public CompletableFuture<Void> delete(byte[] key, Durability durability) {
        return Futures.run(() -> {
            store.ensureOpen();
            store.meta.delete(MetaDb.Family.METADATA, checkKey(key), durability == Durability.SYNC);
        });
    }

    @Override
    public CompletableFuture<Void> write(List<Op> ops, Durability durability) {
        return Futures.run(() -> {
            store.ensureOpen();
            if (ops == null) throw TernException.invalid("a metadata write needs a list of ops");
            // every op is checked before the batch is built, so a bad one applies nothing
            for (Op op : ops) {
                switch (op) {
                    case null -> throw TernException.invalid("a metadata write holds a null op");
                    case Put p -> {
                        checkKey(p.key());
                        if (p.value() == null) throw TernException.invalid("a metadata value cannot be null; delete the key instead");
                    }
                    case Delete d -> checkKey(d.key());
                }
            }
            if (ops.isEmpty()) return;
            // one RocksDB write batch: applied in order, atomically, through the write-ahead log
            store.meta.write(durability == Durability.SYNC, b -> {
                try {
                    for (Op op : ops) {
                        switch (op) {
                            case Put p -> b.put(MetaDb.Family.METADATA, p.key(), p.value());
                            case Delete d -> b.delete(MetaDb.Family.METADATA, d.key());
                        }
                    }
                } catch (org.rocksdb.RocksDBException e) {
                    throw new TernException(ErrorCode.STORAGE_IO, "building a metadata batch failed: " + e.getMessage(), e);
                }
            });
        });
    }

    @Override
    public CompletableFuture<List<Entry>> scan(byte[] from, byte[] to, int limit) {
        return Futures.call(() -> {
            store.ensureOpen();
            if (limit < 1) throw TernException.invalid("limit must be at least 1, not " + limit);
            return store.meta.scan(MetaDb.Family.METADATA, from, to, limit).stream()
                    .map(e -> new Entry(e.key(), e.value())).toList();
        });
    }
}
