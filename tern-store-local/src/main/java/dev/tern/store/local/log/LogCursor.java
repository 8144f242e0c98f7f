package dev.tern.store.local.log;

import dev.tern.common.codec.RecordCodec;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Walks the commit log record by record from a position, stepping over segment ends. Used by recovery
 * (with checksums) and by the index dispatcher (over bytes the appender has just written).
 */
public final class LogCursor {
    public enum Step { RECORD, END, INVALID }

    private final CommitLog log;
    private final boolean verify;
    private final CRC32C crc = new CRC32C();
    private long position;
    private Segment segment;
    private int at;
    private int size;

    public LogCursor(CommitLog log, long position, boolean verify) {
        this.log = log;
        this.verify = verify;
        this.position = Math.max(position, log.minPosition());
    }

    /** The position of the next record to read (after {@link #next}: of the record just read). */
    public long position() {
        return position;
    }

    /**
     * Moves to the next record below {@code limit}. RECORD: {@link #buffer()} at {@link #at()} holds it;
     * END: nothing more was written (or the limit is reached); INVALID: a torn or corrupt record starts at
     * {@link #position()}.
     */
    public Step next(long limit) {
        if (segment != null) position += size;
        size = 0;
        while (true) {
            if (position >= limit) return Step.END;
            segment = log.segmentFor(position);
            if (segment == null) {
                long min = log.minPosition();
                if (position < min) {
                    position = min; // retention removed what we were about to read
                    continue;
                }
                return Step.END;
            }
            at = (int) (position - segment.base());
            ByteBuffer map = segment.map();
            int segLimit = (int) Math.min(segment.capacity(), limit - segment.base());
            RecordCodec.Check c;
            if (verify) {
                c = RecordCodec.check(map, at, segLimit, crc);
            } else {
                int s = segLimit - at >= 4 ? map.getInt(at) : 0;
                c = s == RecordCodec.END_OF_SEGMENT ? RecordCodec.Check.END_OF_SEGMENT
                        : s > 0 && s <= segLimit - at ? RecordCodec.Check.VALID : s == 0 ? RecordCodec.Check.END : RecordCodec.Check.INVALID;
            }
            switch (c) {
                case VALID -> {
                    size = map.getInt(at);
                    return Step.RECORD;
                }
                case END_OF_SEGMENT -> {
                    Segment next = log.next(segment);
                    if (next == null) {
                        segment = null;
                        return Step.END;
                    }
                    position = next.base();
                }
                case END -> {
                    segment = null;
                    return Step.END;
                }
                default -> {
                    segment = null;
                    return Step.INVALID;
                }
            }
        }
    }

    public ByteBuffer buffer() {
        return segment.map();
    }

    public int at() {
        return at;
    }

    public int size() {
        return size;
    }

    /** The segment the cursor is in; recovery uses it to find where a torn tail is. */
    public Segment segment() {
        return segment;
    }
}
