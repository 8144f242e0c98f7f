package dev.tern.store.local;

import dev.tern.common.Names;
import dev.tern.common.error.TernException;
import dev.tern.store.api.GroupOffset;
import dev.tern.store.api.Durability;
import dev.tern.store.api.GroupOffsets;
import dev.tern.store.local.meta.MetaDb;
import dev.tern.store.local.queue.ConsumeQueue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * Group offsets in the metadata database: key = group, 0, topic, 0, queue (4 bytes); value = offset (8).
 * Commits go through RocksDB's write-ahead log. A SYNC commit is forced before its future completes, once
 * the messages below it are ({@link dev.tern.store.local.meta.MetaSync} groups the commits waiting into one
 * batch and one fsync); an ASYNC one survives a process crash, and a machine crash loses at most the last
 * flush interval of them (a group then re-reads those messages: at-least-once).
 */
final class LocalGroupOffsets implements GroupOffsets {
    private final LocalStore store;

    LocalGroupOffsets(LocalStore store) {
        this.store = store;
    }

    private static byte[] key(String group, String topic, int queue) {
        byte[] g = group.getBytes(StandardCharsets.UTF_8), t = topic.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(g.length + 1 + t.length + 1 + 4).put(g).put((byte) 0).put(t).put((byte) 0).putInt(queue).array();
    }

    private static GroupOffset decode(MetaDb.Entry e) {
        byte[] k = e.key();
        int a = indexOf(k, 0), b = indexOf(k, a + 1);
        return new GroupOffset(new String(k, 0, a, StandardCharsets.UTF_8), new String(k, a + 1, b - a - 1, StandardCharsets.UTF_8),
                ByteBuffer.wrap(k, b + 1, 4).getInt(), ByteBuffer.wrap(e.value()).getLong());
    }

    private static int indexOf(byte[] k, int from) {
        for (int i = from; i < k.length; i++) if (k[i] == 0) return i;
        return k.length;
    }

    private static byte[] groupPrefix(String group, byte last) {
        byte[] g = group.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(g.length + 1).put(g).put(last).array();
    }

    @Override
    public CompletableFuture<Void> commit(String group, String topic, int queue, long offset, Durability durability) {
        try {
            store.ensureOpen();
            Names.checkGroup(group);
            ConsumeQueue cq = store.queue(store.topic(topic), queue);
            if (offset < 0) throw TernException.invalid("an offset cannot be negative: " + offset);
            byte[] k = key(group, topic, queue), v = ByteBuffer.allocate(8).putLong(offset).array();
            if (durability != Durability.SYNC) {
                store.meta.put(MetaDb.Family.OFFSETS, k, v, false);
                return CompletableFuture.completedFuture(null);
            }
            // durable after the messages below it (docs/durability.md, the order of durable writes), group-committed
            long target = offset > 0 ? store.durableTarget(cq, offset - 1) : 0;
            return store.metaSync.write(target, b -> b.put(MetaDb.Family.OFFSETS, k, v));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<OptionalLong> fetch(String group, String topic, int queue) {
        return Futures.call(() -> {
            store.ensureOpen();
            byte[] v = store.meta.get(MetaDb.Family.OFFSETS, key(group, topic, queue));
            return v == null ? OptionalLong.empty() : OptionalLong.of(ByteBuffer.wrap(v).getLong());
        });
    }

    @Override
    public CompletableFuture<List<GroupOffset>> list(String group) {
        return Futures.call(() -> {
            store.ensureOpen();
            return scanGroup(group);
        });
    }

    private List<GroupOffset> scanGroup(String group) {
        List<GroupOffset> out = new ArrayList<>();
        for (MetaDb.Entry e : store.meta.scan(MetaDb.Family.OFFSETS, groupPrefix(group, (byte) 0), groupPrefix(group, (byte) 1), Integer.MAX_VALUE)) {
            out.add(decode(e));
        }
        return out;
    }

    @Override
    public CompletableFuture<List<String>> groups() {
        return Futures.call(() -> {
            store.ensureOpen();
            TreeSet<String> groups = new TreeSet<>();
            for (MetaDb.Entry e : store.meta.scan(MetaDb.Family.OFFSETS, null, null, Integer.MAX_VALUE)) groups.add(decode(e).group());
            return List.copyOf(groups);
        });
    }

    @Override
    public CompletableFuture<Void> deleteGroup(String group) {
        return Futures.run(() -> {
            store.ensureOpen();
            List<GroupOffset> all = scanGroup(group);
            store.meta.write(false, b -> {
                for (GroupOffset o : all) delete(b, o);
            });
        });
    }

    /** Called when a topic is deleted. */
    void deleteTopic(String topic) {
        List<GroupOffset> doomed = new ArrayList<>();
        for (MetaDb.Entry e : store.meta.scan(MetaDb.Family.OFFSETS, null, null, Integer.MAX_VALUE)) {
            GroupOffset o = decode(e);
            if (o.topic().equals(topic)) doomed.add(o);
        }
        store.meta.write(true, b -> {
            for (GroupOffset o : doomed) delete(b, o);
        });
    }

    private static void delete(MetaDb.BatchBuilder b, GroupOffset o) {
        try {
            b.delete(MetaDb.Family.OFFSETS, key(o.group(), o.topic(), o.queue()));
        } catch (org.rocksdb.RocksDBException e) {
            throw new IllegalStateException(e);
        }
    }
}
