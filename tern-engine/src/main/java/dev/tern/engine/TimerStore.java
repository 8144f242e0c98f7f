package dev.tern.engine;

import dev.tern.common.codec.RecordCodec;
import dev.tern.common.message.Message;
import dev.tern.common.message.StoredMessage;
import dev.tern.store.api.Durability;
import dev.tern.store.api.MetadataStore;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The persistent, time-indexed store of delayed messages, kept in the store's {@link MetadataStore}
 * (layout in {@link TimerKeys}). A value is the message encoded as a record ({@link RecordCodec}) that
 * names its target topic and queue, so an entry is self-contained. Nothing is cached on the heap: the
 * store is the only copy, which is what lets millions of timers wait and survive a restart.
 */
final class TimerStore {
    private final MetadataStore metadata;
    private final long incarnation;
    private final AtomicLong counter = new AtomicLong();

    TimerStore(MetadataStore metadata, long incarnation) {
        this.metadata = metadata;
        this.incarnation = incarnation;
    }

    /** A due message read back from the store. */
    record Due(byte[] key, String topic, int queue, Message message) {
    }

    /** Writes one entry per message, all or nothing; {@code dueMs.get(i)} is message i's due time. */
    CompletableFuture<Void> schedule(String topic, int queue, List<Message> batch, List<Long> dueMs, Durability d) {
        return metadata.write(entries(topic, queue, batch, dueMs), d);
    }

    /** The writes that schedule a batch, for a caller that adds them to an atomic write of its own. */
    List<MetadataStore.Op> entries(String topic, int queue, List<Message> batch, List<Long> dueMs) {
        List<MetadataStore.Op> ops = new ArrayList<>(batch.size() + 3);
        for (int i = 0; i < batch.size(); i++) {
            byte[] key = TimerKeys.key(dueMs.get(i), incarnation, counter.getAndIncrement());
            ops.add(MetadataStore.Op.put(key, RecordCodec.prepare(batch.get(i), topic, 0, queue)));
        }
        return ops;
    }

    /**
     * At most {@code limit} entries due from {@code fromMs} to {@code nowMs}, earliest first. Starting at a
     * floor rather than at the first key keeps the scan off the deleted entries of fired timers (which a
     * sorted store such as RocksDB keeps as tombstones until it compacts).
     */
    CompletableFuture<List<Due>> due(long fromMs, long nowMs, int limit) {
        byte[] from = TimerKeys.dueBy(fromMs - 1);
        return metadata.scan(from, TimerKeys.dueBy(nowMs), limit).thenApply(entries -> {
            List<Due> out = new ArrayList<>(entries.size());
            for (MetadataStore.Entry e : entries) {
                StoredMessage m = RecordCodec.decode(ByteBuffer.wrap(e.value()), 0);
                out.add(new Due(e.key(), m.topic(), m.queue(), m.toMessage()));
            }
            return out;
        });
    }

    /** The due time of the earliest entry from {@code fromMs} on, or {@code Long.MAX_VALUE} when there is none: a one-entry scan. */
    CompletableFuture<Long> nextDue(long fromMs) {
        return metadata.scan(TimerKeys.dueBy(fromMs - 1), TimerKeys.end(), 1)
                .thenApply(entries -> entries.isEmpty() ? Long.MAX_VALUE : TimerKeys.dueOf(entries.getFirst().key()));
    }

    /** Applies writes that include timer entries ({@link #entries}), atomically. */
    CompletableFuture<Void> write(List<MetadataStore.Op> ops, Durability d) {
        return metadata.write(ops, d);
    }

    /** Removes fired entries, atomically. */
    CompletableFuture<Void> remove(List<Due> fired, Durability d) {
        List<MetadataStore.Op> ops = new ArrayList<>(fired.size());
        for (Due due : fired) ops.add(MetadataStore.Op.delete(due.key()));
        return metadata.write(ops, d);
    }
}
