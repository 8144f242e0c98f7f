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
    /** Each write that reached the store, as "key durability" (a write of several ops: one line per op). */
    final List<String> written = new java.util.concurrent.CopyOnWriteArrayList<>();

    FreezableMetadata(MetadataStore delegate) {
        this.delegate = delegate;
    }

    void freeze() {
        frozen = true;
    }

    @Override
    public CompletableFuture<Void> put(byte[] key, byte[] value, Durability durability) {
        if (frozen) return CompletableFuture.completedFuture(null);
        return delegate.put(key, value, durability).thenRun(() -> record(key, durability));
    }

    @Override
    public CompletableFuture<Optional<byte[]>> get(byte[] key) {
        return delegate.get(key);
    }

    @Override
    public CompletableFuture<Void> delete(byte[] key, Durability durability) {
        if (frozen) return CompletableFuture.completedFuture(null);
        return delegate.delete(key, durability).thenRun(() -> record(key, durability));
    }

    @Override
    public CompletableFuture<Void> write(List<Op> ops, Durability durability) {
        if (frozen) return CompletableFuture.completedFuture(null);
        return delegate.write(ops, durability).thenRun(() -> ops.forEach(op -> record(switch (op) {
            case Put p -> p.key();
            case Delete d -> d.key();
        }, durability)));
    }

    private void record(byte[] key, Durability durability) {
        written.add(new String(key, java.nio.charset.StandardCharsets.UTF_8) + " " + durability);
    }

    @Override
    public CompletableFuture<List<Entry>> scan(byte[] from, byte[] to, int limit) {
        return delegate.scan(from, to, limit);
    }
}
