package dev.tern.store.local.write;

import dev.tern.common.Clock;
import dev.tern.common.codec.RecordCodec;
import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.common.message.MessageId;
import dev.tern.store.api.AppendResult;
import dev.tern.store.api.Durability;
import dev.tern.store.local.log.CommitLog;
import dev.tern.store.local.queue.ConsumeQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;

/**
 * The single writer of the commit log and the consume queues. Appending threads take turns as the
 * writer (leader/follower group commit, see {@link #drain()}): the writer drains every request waiting, stamps each record (queue offset, store timestamp, id, CRC) into one buffer and
 * writes the whole unit with one positional write, then the consume-queue entries with one write per
 * queue, then publishes. A batch is never split between units unless it is too large for one. ASYNC
 * requests complete right away; SYNC ones are handed to the {@link Flusher}, so that every request that
 * arrived while one fsync ran shares the next one (group commit).
 * <p>
 * If a write fails, the unit's requests fail, its offsets are rolled back and what reached the files is
 * zeroed ({@link #undo}); the log tail stays where it was, so the next unit is written in its place.
 */
public final class Appender {
    private static final Logger LOG = LoggerFactory.getLogger(Appender.class);

    /** Told after each publish; see {@link dev.tern.store.api.AppendListener}. */
    public interface Published {
        void appended(String topic, int queue, long nextOffset);
    }

    private final CommitLog log;
    private final Flusher flusher;
    private final Clock clock;
    private final StoreHealth health;
    private final Published published;
    /** Requests (and writer tasks) waiting for the writer. */
    private final ConcurrentLinkedQueue<Object> inbox = new ConcurrentLinkedQueue<>();
    /** Bytes of the requests in {@link #inbox}: bounded by {@code store.max.pending.bytes}. */
    private final AtomicLong pendingBytes = new AtomicLong();
    private final long maxPendingBytes;
    /** Held by the thread that is writing; see {@link #drain()}. */
    private final ReentrantLock writer = new ReentrantLock();
    /** Requests handled by the writer so far: a unit is committed at least every MAX_UNIT_REQUESTS. */
    private long drained;
    private static final int MAX_UNIT_REQUESTS = 4096;
    private final ByteBuffer buf;
    private final CRC32C crc = new CRC32C();
    private final List<AppendRequest> unit = new ArrayList<>();
    private final Map<ConsumeQueue, QueueEntries> touched = new IdentityHashMap<>();
    private long tail;
    private volatile long lastTimestamp;
    private volatile boolean running = true;

    public Appender(CommitLog log, Flusher flusher, Clock clock, StoreHealth health, Published published,
                    int maxRecordBytes, long lastTimestamp, long maxPendingBytes) {
        this.maxPendingBytes = maxPendingBytes;
        this.log = log;
        this.flusher = flusher;
        this.clock = clock;
        this.health = health;
        this.published = published;
        this.buf = ByteBuffer.allocateDirect(Math.max(4 << 20, maxRecordBytes + 1024));
        this.tail = log.writtenPosition();
        this.lastTimestamp = lastTimestamp;
    }

    /** The newest store timestamp handed out (retention's upper bound for the active segment). */
    public long lastTimestamp() {
        return lastTimestamp;
    }

    public void submit(AppendRequest r) {
        if (!running) {
            r.fail(closed());
            return;
        }
        long bytes = r.bytes();
        long pending = pendingBytes.addAndGet(bytes);
        if (pending > maxPendingBytes && pending > bytes) { // one request alone always gets in
            pendingBytes.addAndGet(-bytes);
            r.fail(new TernException(ErrorCode.OVERLOADED, "the store's write queue is full (more than " + maxPendingBytes
                    + " bytes wait for the disk, store.max.pending.bytes): retry shortly"));
            return;
        }
        inbox.add(r);
        drain();
    }

    /** Runs {@code task} as the writer, between units (used to delete a topic safely). */
    public CompletableFuture<Void> execute(Runnable task) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        if (!running) {
            f.completeExceptionally(closed());
            return f;
        }
        inbox.add((Runnable) () -> {
            try {
                task.run();
                f.complete(null);
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        drain();
        return f;
    }

    /** Refuses new work; what was submitted before is still written by {@link #drain()}. */
    public void stop() {
        running = false;
        drain();
        for (Object o; (o = inbox.poll()) != null; ) {
            if (o instanceof AppendRequest r) {
                pendingBytes.addAndGet(-r.bytes());
                r.fail(closed());
            }
        }
    }

    /**
     * Whoever gets the writer lock writes everything waiting, its own request and those of the threads
     * that queued meanwhile; the others return at once and their futures complete when the writer is done.
     * A lone appender so writes on its own thread with no hand-off at all, and concurrent appenders are
     * written in units as large as the queue that built up. The check after unlocking closes the window
     * where a request is queued while the writer is about to leave.
     */
    public void drain() {
        while (!inbox.isEmpty() && writer.tryLock()) {
            try {
                writeWaiting();
            } finally {
                writer.unlock();
            }
        }
    }

    private void writeWaiting() {
        try {
            for (Object o; (o = inbox.poll()) != null; ) {
                if (o instanceof AppendRequest r) {
                    pendingBytes.addAndGet(-r.bytes());
                    process(r);
                } else {
                    commitUnit();
                    ((Runnable) o).run();
                }
                if (++drained % MAX_UNIT_REQUESTS == 0) commitUnit();
            }
            commitUnit();
        } catch (RuntimeException | Error t) {
            LOG.error("the writer stopped on an unexpected error; the store turns read-only", t);
            health.failWrites("writer error: " + t, t);
            for (AppendRequest r : unit) r.fail(health.writeFailure());
            unit.clear();
            touched.clear();
            buf.clear();
        }
    }

    private static TernException closed() {
        return new TernException(ErrorCode.STORE_CLOSED, "the store is closed");
    }

    private void process(AppendRequest r) {
        if (r.topicDeleted.getAsBoolean()) {
            r.fail(new TernException(ErrorCode.TOPIC_NOT_FOUND, "topic '" + r.topic + "' does not exist"));
            return;
        }
        if (health.writeFailure() != null) {
            r.fail(health.writeFailure());
            return;
        }
        // A batch that fits one unit is written in one, so that its messages become readable, and listeners
        // are told, together: commit what is buffered first if it would not fit after it, and move to the
        // next segment first if it would not fit the rest of this one. Only a batch too large for a unit
        // (the buffer) or a segment is split below, at the point where it fills one.
        long bytes = r.bytes();
        if (bytes > buf.remaining() && bytes <= buf.capacity()) commitUnit();
        if (tail + buf.position() + bytes + 4 > log.activeSegment().end() && bytes + 4 <= log.activeSegment().capacity()) {
            commitUnit();
            try {
                tail = log.roll(tail);
                log.publishWritten(tail);
            } catch (IOException e) {
                r.fail(ioFailed("starting a new log segment", e));
                return;
            }
        }
        unit.add(r);
        for (int i = 0; i < r.records.length; i++) {
            byte[] rec = r.records[i];
            if (tail + buf.position() + rec.length + 4 > log.activeSegment().end()) {
                // keep 4 bytes for the end-of-segment marker
                if (!commitThen(r)) return;
                try {
                    tail = log.roll(tail);
                    log.publishWritten(tail);
                } catch (IOException e) {
                    r.fail(ioFailed("starting a new log segment", e));
                    unit.remove(r);
                    return;
                }
            }
            if (rec.length > buf.remaining() && !commitThen(r)) return;
            stamp(r, i, rec);
        }
    }

    /** Commits what is buffered, then keeps {@code r} (partly written) in the next unit; false if r failed. */
    private boolean commitThen(AppendRequest r) {
        commitUnit();
        if (r.failed) return false;
        unit.add(r);
        return true;
    }

    private void stamp(AppendRequest r, int i, byte[] rec) {
        int p = buf.position();
        long offset = r.queue.assign();
        long ts = Math.max(clock.millis(), lastTimestamp);
        lastTimestamp = ts;
        long position = tail + p;
        MessageId id = new MessageId(ts, position);
        RecordCodec.stamp(rec, offset, ts, id, crc); // in the heap array, then one copy into the buffer
        buf.put(rec);
        QueueEntries q = touched.get(r.queue);
        if (q == null) {
            q = new QueueEntries(r.topic, r.queueId, r.queue, offset);
            touched.put(r.queue, q);
        }
        q.add(position, rec.length, r.tagHashes[i], ts, r.queue.accumulate(rec.length));
        r.results[i] = new AppendResult(offset, id, ts);
    }

    private void commitUnit() {
        if (unit.isEmpty() && buf.position() == 0) return;
        int length = buf.position();
        try {
            if (length > 0) {
                buf.flip();
                log.write(buf, tail);
            }
            for (QueueEntries q : touched.values()) q.write();
            tail += length;
            log.publishWritten(tail);
            for (QueueEntries q : touched.values()) {
                q.queue.publish(q.next());
                published.appended(q.topic, q.queueId, q.next());
            }
            for (AppendRequest r : unit) {
                if (r.failed || r.results[r.results.length - 1] == null) continue; // not finished: next unit
                r.endPosition = tail;
                if (r.durability == Durability.SYNC) flusher.await(r); else r.complete();
            }
        } catch (IOException e) {
            TernException err = ioFailed("append", e);
            LOG.warn("append failed, {} request(s) refused: {}", unit.size(), err.getMessage());
            undo(length);
            for (AppendRequest r : unit) r.fail(err);
        } catch (RuntimeException e) {
            undo(length);
            for (AppendRequest r : unit) r.fail(e);
            throw e;
        } finally {
            buf.clear();
            touched.clear();
            unit.clear();
        }
    }

    /**
     * A full disk refuses what could not be written and lets later appends try again (space may come
     * back); any other I/O error leaves the files' state unknown, so the store turns read-only.
     */
    private TernException ioFailed(String what, IOException e) {
        TernException err = StorageErrors.of(what, e);
        if (err.code() != ErrorCode.STORAGE_FULL) health.failWrites(what + ": " + e.getMessage(), e);
        return err;
    }

    /**
     * Takes back a unit whose write failed: its offsets are assigned again, and whatever of its records
     * and queue entries reached the files is zeroed, so that a refused message never reappears (the next
     * unit is written at the same place, and a restart would otherwise adopt complete records behind a
     * shorter one). If that fails too, the store turns read-only.
     */
    private void undo(int length) {
        try {
            log.zero(tail, length);
            for (QueueEntries q : touched.values()) q.queue.rollback();
        } catch (IOException | RuntimeException e) {
            LOG.error("a failed append could not be undone; the store turns read-only", e);
            health.failWrites("a failed append could not be undone: " + e.getMessage(), e);
        }
    }

    /** The consume-queue entries of one queue in the current unit. */
    private static final class QueueEntries {
        final String topic;
        final int queueId;
        final ConsumeQueue queue;
        final long firstOffset;
        ByteBuffer entries = ByteBuffer.allocate(ConsumeQueue.ENTRY * 16);
        int count;

        QueueEntries(String topic, int queueId, ConsumeQueue queue, long firstOffset) {
            this.topic = topic;
            this.queueId = queueId;
            this.queue = queue;
            this.firstOffset = firstOffset;
        }

        void add(long position, int size, int tagHash, long ts, long runningBytes) {
            if (entries.remaining() < ConsumeQueue.ENTRY) {
                ByteBuffer bigger = ByteBuffer.allocate(entries.capacity() * 2);
                entries.flip();
                bigger.put(entries);
                entries = bigger;
            }
            entries.putLong(position).putInt(size).putInt(tagHash).putLong(ts).putLong(runningBytes);
            count++;
        }

        void write() throws IOException {
            entries.flip();
            queue.write(entries, firstOffset);
        }

        long next() {
            return firstOffset + count;
        }
    }
}
