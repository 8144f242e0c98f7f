package dev.tern.store.local;

import dev.tern.common.codec.RecordCodec;
import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.store.local.log.CommitLog;
import dev.tern.store.local.log.LogCursor;
import dev.tern.store.local.log.Segment;
import dev.tern.store.local.queue.ConsumeQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Brings the log and the consume queues back to one consistent state after any stop. It reads the log
 * from the checkpoint (only the unflushed tail), checks every record's CRC, adds the consume-queue
 * entries that are missing, finds the end (the first torn or corrupt record), wipes the torn tail, and
 * cuts every queue back to that end. When the queues cannot be trusted (a gap, a missing directory, an
 * entry that points at the wrong record) the caller wipes them and runs it from the start of the log.
 */
final class Recovery {
    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

    /** What recovery found. {@code queuesInconsistent}: rebuild the queues from the whole log. */
    record Outcome(long end, long lastTimestamp, long scannedBytes, long records, boolean queuesInconsistent) {
    }

    private final CommitLog log;
    private final TopicTable topics;

    Recovery(CommitLog log, TopicTable topics) {
        this.log = log;
        this.topics = topics;
    }

    /**
     * Recovers from {@code from}. {@code tornFrom} is where a torn tail may begin: every byte below it was
     * on stable storage (the checkpoint's flushed position), so a bad record there, or a log that ends
     * before it, is corruption and stops the store; at or above it, a bad record is a torn tail and cut.
     */
    Outcome run(long from, boolean rebuilding, long tornFrom) throws IOException {
        long start = Math.max(from, log.minPosition());
        LogCursor cursor = new LogCursor(log, start, true);
        long records = 0, lastTs = 0;
        ByteBuffer entry = ByteBuffer.allocate(ConsumeQueue.ENTRY);
        LogCursor.Step step;
        while ((step = cursor.next(Long.MAX_VALUE)) == LogCursor.Step.RECORD) {
            ByteBuffer b = cursor.buffer();
            int at = cursor.at();
            long pos = cursor.position();
            lastTs = RecordCodec.storeTimestamp(b, at);
            records++;
            TopicState t = topics.get(RecordCodec.topicId(b, at));
            int q = RecordCodec.queue(b, at);
            if (t == null || q < 0 || q >= t.queues.length) continue; // a deleted topic's record
            ConsumeQueue cq = t.queues[q];
            long offset = RecordCodec.queueOffset(b, at);
            if (rebuilding) cq.startAt(offset);
            if (offset < cq.nextOffset()) {
                if (offset >= cq.minOffset() && cq.logPosition(offset) == pos) continue; // already indexed
                if (offset < cq.minOffset()) return inconsistent(cursor, lastTs, records, start);
                cq.truncate(offset);
            } else if (offset > cq.nextOffset()) {
                LOG.warn("queue {}-{} misses offsets {} to {}: rebuilding the consume queues", t.name(), q, cq.nextOffset(), offset - 1);
                return inconsistent(cursor, lastTs, records, start);
            }
            entry.clear();
            int size = RecordCodec.size(b, at);
            entry.putLong(pos).putInt(size).putInt(RecordCodec.tagHash(RecordCodec.tag(b, at)))
                    .putLong(RecordCodec.storeTimestamp(b, at)).putLong(cq.accumulate(size)).flip();
            long o = cq.assign();
            cq.write(entry, o);
            cq.publish(o + 1);
        }
        long end = cursor.position();
        if (end < tornFrom) throw corrupt(end, tornFrom, step);
        if (step == LogCursor.Step.INVALID) {
            LOG.warn("commit log: torn record at {} (written after the last checkpoint, never acknowledged as durable); cutting the log there", end);
        }
        // every non-zero byte after the end in its segment, so that a shorter record written there later cannot
        // be followed by the remains of an older one; all of it: after a power cut, pages written back early
        // can lie beyond a hole of lost ones
        log.zero(end, log.restOfSegment(end));
        log.setEnd(end);
        for (TopicState t : topics.all()) {
            for (ConsumeQueue cq : t.queues) {
                cutAt(cq, end);
                cq.dropBelow(log.minPosition());
                if (!pointsRight(t, cq)) {
                    LOG.warn("consume queue of {} points at the wrong records: rebuilding the consume queues", t.name());
                    return new Outcome(end, lastTs, end - start, records, true);
                }
            }
        }
        return new Outcome(end, lastTs, end - start, records, false);
    }

    /**
     * Checks every record in [from, to) without changing anything: throws the corruption error at the
     * first bad one (to: where the part recovery reads begins).
     */
    static void verify(CommitLog log, long from, long to) {
        LogCursor cursor = new LogCursor(log, from, true);
        LogCursor.Step step;
        do {
            step = cursor.next(to); // checks each record's CRC
        } while (step == LogCursor.Step.RECORD);
        if (cursor.position() < to) throw corrupt(log, cursor.position(), to, step);
    }

    private TernException corrupt(long at, long durableTo, LogCursor.Step step) {
        return corrupt(log, at, durableTo, step);
    }

    private static TernException corrupt(CommitLog log, long at, long durableTo, LogCursor.Step step) {
        Segment s = log.segmentFor(at);
        String where = s == null ? "log position " + at
                : "segment " + s.path() + " at byte " + (at - s.base()) + " (log position " + at + ")";
        String what = step == LogCursor.Step.INVALID ? "a corrupt record" : "the end of the written log";
        return new TernException(ErrorCode.CORRUPT_RECORD, "commit log: " + what + " in " + where
                + ", below position " + durableTo + " that was on stable storage: refusing to guess."
                + " `tern store repair --data-dir DIR` shows what cutting the log there would drop;"
                + " `tern store repair --data-dir DIR --truncate-at " + at + "` does it (later segments are moved aside, not deleted)");
    }

    private Outcome inconsistent(LogCursor cursor, long lastTs, long records, long start) {
        return new Outcome(cursor.position(), lastTs, cursor.position() - start, records, true);
    }

    /** Drops entries that point at or past the end of the log. */
    private static void cutAt(ConsumeQueue cq, long end) throws IOException {
        long lo = cq.minOffset(), hi = cq.nextOffset();
        if (hi == lo || cq.logPosition(hi - 1) < end) return;
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            if (cq.logPosition(mid) < end) lo = mid + 1; else hi = mid;
        }
        cq.truncate(lo);
    }

    /**
     * The first and last entries of every consume-queue file must name a record of this topic, queue and
     * offset: cheap (two reads a file) and it catches a file that was damaged or belongs elsewhere. Any
     * other damaged entry is still caught when read, and reported rather than served.
     */
    private boolean pointsRight(TopicState t, ConsumeQueue cq) {
        if (cq.nextOffset() == cq.minOffset()) return true;
        int q = java.util.Arrays.asList(t.queues).indexOf(cq);
        for (long[] span : cq.fileSpans()) {
            long first = Math.max(span[0], cq.minOffset()), last = Math.min(span[1], cq.nextOffset()) - 1;
            if (first > last) continue;
            if (!pointsRight(t, q, cq, first) || !pointsRight(t, q, cq, last)) return false;
        }
        return true;
    }

    private boolean pointsRight(TopicState t, int q, ConsumeQueue cq, long offset) {
        ByteBuffer r = log.slice(cq.logPosition(offset), cq.size(offset));
        return r != null && r.remaining() >= RecordCodec.HEADER_SIZE
                && RecordCodec.size(r, 0) == cq.size(offset)
                && RecordCodec.topicId(r, 0) == t.info.topicId() && RecordCodec.queue(r, 0) == q
                && RecordCodec.queueOffset(r, 0) == offset;
    }

}
