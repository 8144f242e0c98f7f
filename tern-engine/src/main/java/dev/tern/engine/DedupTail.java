package dev.tern.engine;

import dev.tern.common.codec.RecordCodec;
import dev.tern.store.api.MessageLog;
import dev.tern.store.api.ReadRequest;
import dev.tern.store.api.ReadResult;
import dev.tern.store.api.StoredRecord;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;

/**
 * The log side of de-duplication: what a producer stored in the tail of a queue after its last recorded
 * state. The records carry producer id and sequence, so reading the queue closes the window in which an
 * engine stored an append but lost the metadata write after it to a crash. Only appends of earlier engines
 * can be in that window (this one records each of its own before answering), so the reading stops at the
 * queue's end as this engine first saw it (its <i>start</i>), and takes at most {@link #MAX_RECORDS}
 * records: from the recorded offset, or, when nothing is recorded, the last ones before the start.
 * <p>
 * That last case is every new producer's first send, so that a stream of new producer ids does not read
 * {@link #MAX_RECORDS} records each: the ids present in a queue's last records before its start are read
 * once per queue and kept (a sorted array, in a cache bounded by {@link #ID_CACHE_BYTES}), and a producer
 * that is not among them has nothing to find.
 */
final class DedupTail {
    static final int MAX_RECORDS = 1024;
    static final long ID_CACHE_BYTES = 8L << 20;
    private static final int READ_BATCH = 256;

    private final MessageLog log;
    /** Per queue, its next offset when this engine first looked at it. */
    private final ConcurrentHashMap<TopicQueue, Long> starts = new ConcurrentHashMap<>();
    /** Per queue, the sorted producer ids of its last {@link #MAX_RECORDS} records before its start. */
    private final LruCache<TopicQueue, long[]> producers = new LruCache<>(ID_CACHE_BYTES, ids -> 64 + 8L * ids.length);
    private final KeyedChain<TopicQueue> chain = new KeyedChain<>();

    DedupTail(MessageLog log) {
        this.log = log;
    }

    /** The results of {@code producerId}'s records from {@code from} (null: nothing recorded) up to the queue's start, by sequence. */
    CompletableFuture<TreeMap<Long, SendResult>> scan(long producerId, String topic, int queue, Long from) {
        TopicQueue tq = new TopicQueue(topic, queue);
        return start(tq).thenCompose(start -> {
            if (from != null) return read(tq, Math.min(from, start), start, id -> { }, producerId);
            return producersBeforeStart(tq, start).thenCompose(ids -> Arrays.binarySearch(ids, producerId) < 0
                    ? CompletableFuture.completedFuture(new TreeMap<>())
                    : read(tq, start - MAX_RECORDS, start, id -> { }, producerId));
        });
    }

    private CompletableFuture<Long> start(TopicQueue tq) {
        Long known = starts.get(tq);
        if (known != null) return CompletableFuture.completedFuture(known);
        return log.range(tq.topic(), tq.queue()).thenApply(range -> {
            Long first = starts.putIfAbsent(tq, range.nextOffset());
            return first != null ? first : range.nextOffset();
        });
    }

    private CompletableFuture<long[]> producersBeforeStart(TopicQueue tq, long start) {
        return chain.run(tq, () -> {
            long[] cached = producers.get(tq);
            if (cached != null) return CompletableFuture.completedFuture(cached);
            TreeSet<Long> ids = new TreeSet<>();
            return read(tq, start - MAX_RECORDS, start, ids::add, 0).thenApply(none -> {
                long[] sorted = ids.stream().mapToLong(Long::longValue).toArray();
                producers.put(tq, sorted);
                return sorted;
            });
        });
    }

    /**
     * Reads {@code [from, end)} (at most {@link #MAX_RECORDS} records, none before the queue's minimum): passes every
     * idempotent record's producer id to {@code ids} and collects {@code producerId}'s results.
     */
    private CompletableFuture<TreeMap<Long, SendResult>> read(TopicQueue tq, long from, long end, LongConsumer ids, long producerId) {
        TreeMap<Long, SendResult> found = new TreeMap<>();
        if (from >= end) return CompletableFuture.completedFuture(found);
        return log.range(tq.topic(), tq.queue()).thenCompose(range -> {
            long start = Math.max(from, range.minOffset());
            return read(tq, start, Math.min(end, start + MAX_RECORDS), ids, producerId, found);
        });
    }

    private CompletableFuture<TreeMap<Long, SendResult>> read(TopicQueue tq, long offset, long end, LongConsumer ids, long producerId,
                                                            TreeMap<Long, SendResult> found) {
        if (offset >= end) return CompletableFuture.completedFuture(found);
        int n = (int) Math.min(READ_BATCH, end - offset);
        return log.read(new ReadRequest(tq.topic(), tq.queue(), offset, n)).thenCompose(r -> {
            long next;
            try (ReadResult read = r) {
                if (read.status() != ReadResult.Status.FOUND) return CompletableFuture.completedFuture(found);
                for (StoredRecord rec : read.records()) {
                    if (rec.queueOffset() >= end) break;
                    collect(tq, producerId, rec, ids, found);
                }
                next = read.nextOffset();
            }
            return next > offset ? read(tq, next, end, ids, producerId, found) : CompletableFuture.completedFuture(found);
        });
    }

    private static void collect(TopicQueue tq, long producerId, StoredRecord rec, LongConsumer ids, Map<Long, SendResult> found) {
        var m = rec.message();
        if (m.producerId() == 0 || m.sequence() < 0) return;
        ids.accept(m.producerId());
        if (m.producerId() != producerId) return;
        ByteBuffer b = rec.buffer();
        found.put(m.sequence(), new SendResult(tq.topic(), tq.queue(), rec.queueOffset(), RecordCodec.messageId(b, b.position()), rec.storeTimestamp()));
    }
}
