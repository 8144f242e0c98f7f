package dev.tern.store.memory;

import dev.tern.common.codec.RecordCodec;
import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.common.message.MessageId;
import dev.tern.store.api.QueueRange;
import dev.tern.store.api.ReadResult;
import dev.tern.store.api.StoredRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.IntPredicate;
import java.util.zip.CRC32C;

/**
 * One queue of a topic: its entries in offset order. Appends take the write lock, so a batch gets
 * consecutive offsets and timestamps never decrease; reads and time lookups share the read lock.
 * Nothing is ever removed while the topic lives, so offsets start at 0 and equal list indexes.
 */
final class MemoryQueue {
    /** How many entries one filtered read may skip before it returns, so a read's cost stays bounded. */
    static final int MAX_SCAN = 64 * 1024;

    private final MemoryTopic topic;
    private final int number;
    private final MemoryContext context;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final ArrayList<QueueEntry> entries = new ArrayList<>();
    private long lastTimestamp = Long.MIN_VALUE;

    MemoryQueue(MemoryTopic topic, int number, MemoryContext context) {
        this.topic = topic;
        this.number = number;
        this.context = context;
    }

    /**
     * Stamps and stores a batch, indexes it and tells the listeners, all under the write lock: the
     * indexes are complete before the caller's future completes, and listeners see offsets in order.
     */
    List<QueueEntry> append(List<Encoded> batch) {
        lock.writeLock().lock();
        try {
            // checked under the lock: a delete waits for this lock before it drops the topic's ids
            if (topic.deleted()) throw new TernException(ErrorCode.TOPIC_NOT_FOUND, "topic '" + topic.name() + "' was deleted");
            CRC32C crc = new CRC32C();
            List<QueueEntry> stored = new ArrayList<>(batch.size());
            for (Encoded e : batch) {
                long offset = entries.size();
                lastTimestamp = Math.max(lastTimestamp, context.clock().millis());
                MessageId id = new MessageId(lastTimestamp, context.sequence().incrementAndGet());
                RecordCodec.stamp(e.bytes(), offset, lastTimestamp, id, crc);
                QueueEntry entry = new QueueEntry(offset, id, lastTimestamp, e.tagHash(), e.bytes());
                entries.add(entry);
                storedBytes += e.bytes().length;
                topic.index(entry, e.keys());
                stored.add(entry);
            }
            context.listeners().appended(topic.name(), number, entries.size());
            return stored;
        } finally {
            lock.writeLock().unlock();
        }
    }

    ReadResult read(long offset, int maxMessages, int maxBytes, IntPredicate tagFilter) {
        lock.readLock().lock();
        try {
            QueueRange range = currentRange();
            if (offset < range.minOffset()) return MemoryReadResult.empty(ReadResult.Status.OFFSET_TOO_SMALL, range.minOffset(), range);
            if (offset > range.nextOffset()) return MemoryReadResult.empty(ReadResult.Status.OFFSET_TOO_BIG, range.nextOffset(), range);
            List<StoredRecord> records = new ArrayList<>(Math.min(maxMessages, 64));
            long bytes = 0;
            int i = (int) offset;
            for (int scanned = 0; i < entries.size() && records.size() < maxMessages && scanned < MAX_SCAN; scanned++) {
                QueueEntry e = entries.get(i);
                if (tagFilter == null || tagFilter.test(e.tagHash())) {
                    // the first record goes out whatever its size, so a large message never blocks a queue
                    if (!records.isEmpty() && bytes + e.bytes().length > maxBytes) break;
                    records.add(e.record());
                    bytes += e.bytes().length;
                }
                i++;
            }
            return records.isEmpty()
                    ? MemoryReadResult.empty(ReadResult.Status.NO_MESSAGES, i, range)
                    : new MemoryReadResult(ReadResult.Status.FOUND, List.copyOf(records), i, range);
        } finally {
            lock.readLock().unlock();
        }
    }

    QueueRange range() {
        lock.readLock().lock();
        try {
            return currentRange();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Bytes of the stored records, kept up to date by {@link #append}. */
    private long storedBytes;

    long storedBytes() {
        lock.readLock().lock();
        try {
            return storedBytes;
        } finally {
            lock.readLock().unlock();
        }
    }

    private QueueRange currentRange() {
        return new QueueRange(0, entries.size());
    }

    /** The first offset stored at or after {@code timestamp}, or the next offset: a binary search on timestamps. */
    long offsetForTime(long timestamp) {
        lock.readLock().lock();
        try {
            int lo = 0, hi = entries.size();
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (entries.get(mid).storeTimestamp() < timestamp) lo = mid + 1;
                else hi = mid;
            }
            return lo;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Empties the queue for a deleted topic, waiting out appends in progress; returns what it held. */
    List<QueueEntry> drain() {
        lock.writeLock().lock();
        try {
            List<QueueEntry> all = List.copyOf(entries);
            entries.clear();
            entries.trimToSize();
            return all;
        } finally {
            lock.writeLock().unlock();
        }
    }
}
