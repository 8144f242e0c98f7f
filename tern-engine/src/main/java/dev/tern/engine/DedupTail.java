package dev.tern.engine;

import dev.tern.common.codec.RecordCodec;
import dev.tern.store.api.MessageLog;
import dev.tern.store.api.ReadRequest;
import dev.tern.store.api.ReadResult;
import dev.tern.store.api.StoredRecord;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * The log side of de-duplication: what a producer stored in the tail of a queue after its last recorded
 * state. The records carry producer id and sequence, so reading the queue from the recorded offset (or its
 * last {@link #MAX_RECORDS} records when nothing is recorded) closes the window in which an append was
 * stored but the metadata write after it was lost to a crash. Read once per (producer, queue) and start.
 */
final class DedupTail {
    static final int MAX_RECORDS = 1024;
    private static final int READ_BATCH = 256;

    private final MessageLog log;

    DedupTail(MessageLog log) {
        this.log = log;
    }

    /** The results of {@code producerId}'s records from {@code from} (null: the last {@link #MAX_RECORDS}) on, by sequence. */
    CompletableFuture<TreeMap<Long, SendResult>> scan(long producerId, String topic, int queue, Long from) {
        return log.range(topic, queue).thenCompose(range -> {
            long start = from == null ? Math.max(range.minOffset(), range.nextOffset() - MAX_RECORDS) : Math.max(from, range.minOffset());
            long end = Math.min(range.nextOffset(), start + MAX_RECORDS);
            return read(producerId, topic, queue, start, end, new TreeMap<>());
        });
    }

    private CompletableFuture<TreeMap<Long, SendResult>> read(long producerId, String topic, int queue, long offset, long end,
                                                            TreeMap<Long, SendResult> found) {
        if (offset >= end) return CompletableFuture.completedFuture(found);
        int n = (int) Math.min(READ_BATCH, end - offset);
        return log.read(new ReadRequest(topic, queue, offset, n)).thenCompose(r -> {
            long next;
            try (ReadResult read = r) {
                if (read.status() != ReadResult.Status.FOUND) return CompletableFuture.completedFuture(found);
                for (StoredRecord rec : read.records()) collect(producerId, topic, queue, rec, found);
                next = read.nextOffset();
            }
            return next > offset ? read(producerId, topic, queue, next, end, found) : CompletableFuture.completedFuture(found);
        });
    }

    private static void collect(long producerId, String topic, int queue, StoredRecord rec, Map<Long, SendResult> found) {
        ByteBuffer b = rec.buffer();
        var m = rec.message();
        if (m.producerId() != producerId || m.sequence() < 0) return;
        found.put(m.sequence(), new SendResult(topic, queue, rec.queueOffset(), RecordCodec.messageId(b, b.position()), rec.storeTimestamp()));
    }
}
