package dev.tern.gateway.mqtt;

import dev.tern.store.api.Durability;
import dev.tern.store.api.MetadataStore;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A metadata store that, once frozen, silently drops every write: what the store holds is then what a
 * crash at that moment would have left (the fault seam for "the node died without saving").
 */
final class FreezableMetadata implements MetadataStore {
    private final MetadataStore delegate;
    private volatile boolean frozen;

    FreezableMetadata(MetadataStore delegate) {
        this.delegate = delegate;
    }

    void freeze() {
        frozen = true;
    }

    @Override
    public CompletableFuture<Void> put(byte[] key, byte[] value, Durability durability) {
        return frozen ? CompletableFuture.completedFuture(null) : delegate.put(key, value, durability);
    }

    @Override
    public CompletableFuture<Optional<byte[]>> get(byte[] key) {
        return delegate.get(key);
    }

    @Override
    public CompletableFuture<Void> delete(byte[] key, Durability durability) {
        return frozen ? CompletableFuture.completedFuture(null) : delegate.delete(key, durability);
    }

    @Override
    public CompletableFuture<Void> write(List<Op> ops, Durability durability) {
        return frozen ? CompletableFuture.completedFuture(null) : delegate.write(ops, durability);
    }

    @Override
    public CompletableFuture<List<Entry>> scan(byte[] from, byte[] to, int limit) {
        return delegate.scan(from, to, limit);
    }
}
