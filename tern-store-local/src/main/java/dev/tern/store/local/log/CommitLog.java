package dev.tern.store.local.log;

import dev.tern.common.codec.RecordCodec;
import dev.tern.store.local.io.FileIO;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Stream;

/**
 * The segmented, append-only commit log. Positions are global byte offsets; segment files are named by
 * their base position. One thread (the appender) writes at the tail; the flusher forces; readers slice
 * the segments' read-only maps below {@link #writtenPosition()}; retention drops whole head segments.
 */
public final class CommitLog {
    private final Path dir;
    private final FileIO io;
    private final int newSegmentBytes;
    private final ConcurrentSkipListMap<Long, Segment> segments = new ConcurrentSkipListMap<>();
    /** Every byte below is written and may be read. Published by the appender after each write. */
    private volatile long writtenPosition;
    /** Every byte below is on stable storage. */
    private volatile long flushedPosition;

    private CommitLog(Path dir, FileIO io, int newSegmentBytes) {
        this.dir = dir;
        this.io = io;
        this.newSegmentBytes = newSegmentBytes;
    }

    /**
     * Opens the existing segments (without checking their records: recovery does that). Each segment
     * spans the positions up to the next one's base. A power cut can leave a segment shorter than it was
     * made (its size not yet durable): it is extended again, and recovery decides whether what is missing
     * was a torn tail or lost durable data. Empty segments at the head are the remains of a retention
     * deletion cut short, and are removed.
     */
    public static CommitLog open(Path dir, FileIO io, int segmentBytes) throws IOException {
        io.createDirectories(dir);
        CommitLog log = new CommitLog(dir, io, segmentBytes);
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = new ArrayList<>(s.filter(p -> p.getFileName().toString().matches("\\d{20}\\.log")).sorted().toList());
        }
        while (files.size() > 1 && Files.size(files.getFirst()) == 0) {
            io.delete(files.removeFirst());
            io.syncDirectory(dir);
        }
        for (int i = 0; i < files.size(); i++) {
            Path p = files.get(i);
            long base = baseOf(p);
            long size = Files.size(p);
            if (i == files.size() - 1) {
                if (size < segmentBytes) size = segmentBytes;
            } else {
                // a segment ends where the next begins; one found shorter lost its size in a power cut (its
                // end was never forced): extended again, its lost bytes read as zeroes and recovery judges them
                long span = baseOf(files.get(i + 1)) - base;
                if (size > span) {
                    throw new IOException("commit-log segment " + p + " holds " + size + " bytes but the next one, " + files.get(i + 1)
                            + ", starts " + span + " bytes after it: the segments overlap");
                }
                size = span;
            }
            if (size > Integer.MAX_VALUE || size < 8) {
                throw new IOException("commit-log segment " + p + " has an impossible size " + size);
            }
            log.segments.put(base, new Segment(base, (int) size, p, io.open(p, size)));
        }
        if (log.segments.isEmpty()) {
            log.createSegment(0);
        }
        return log;
    }

    private static long baseOf(Path segment) {
        return Long.parseLong(segment.getFileName().toString().substring(0, 20));
    }

    /** Creates the segment starting at {@code base}; durable in the directory before anything is written to it. */
    Segment createSegment(long base) throws IOException {
        Path p = dir.resolve(Segment.fileName(base));
        Segment s = new Segment(base, newSegmentBytes, p, io.open(p, newSegmentBytes));
        io.syncDirectory(dir);
        segments.put(base, s);
        return s;
    }

    public long minPosition() {
        return segments.firstKey();
    }

    public long writtenPosition() {
        return writtenPosition;
    }

    public long flushedPosition() {
        return flushedPosition;
    }

    public Segment activeSegment() {
        return segments.lastEntry().getValue();
    }

    /** The segment holding {@code position}, or null when retention removed it or it never existed. */
    public Segment segmentFor(long position) {
        Map.Entry<Long, Segment> e = segments.floorEntry(position);
        if (e == null || position >= e.getValue().end()) return null;
        return e.getValue();
    }

    /** The segment that follows {@code s}, or null. */
    public Segment next(Segment s) {
        Map.Entry<Long, Segment> e = segments.higherEntry(s.base());
        return e == null ? null : e.getValue();
    }

    public List<Segment> segments() {
        return new ArrayList<>(segments.values());
    }

    /**
     * A read-only view of {@code size} bytes at {@code position}, or null if that range is not (or no
     * longer) in the log.
     */
    public ByteBuffer slice(long position, int size) {
        if (position < 0 || size <= 0 || position + size > writtenPosition) return null;
        Segment s = segmentFor(position);
        if (s == null || position + size > s.end()) return null;
        return s.slice((int) (position - s.base()), size);
    }

    // ---- writer side (the thread holding the Appender's writer lock, or recovery before the store opens) ----

    /** Writes {@code src} at the global {@code position}, which must lie in the active segment. */
    public void write(ByteBuffer src, long position) throws IOException {
        Segment s = activeSegment();
        s.write(src, (int) (position - s.base()));
    }

    /**
     * Zeroes every non-zero byte of the {@code length} bytes at {@code position}, which lie in one segment:
     * a write that failed, or (with {@link #restOfSegment}) what follows the end of the log in its segment.
     */
    public void zero(long position, long length) throws IOException {
        Segment s = segmentFor(position);
        if (s == null || length <= 0) return;
        s.zero((int) (position - s.base()), (int) Math.min(length, s.end() - position));
    }

    /** The bytes from {@code position} to the end of its segment (0 when no segment holds it). */
    public long restOfSegment(long position) {
        Segment s = segmentFor(position);
        return s == null ? 0 : s.end() - position;
    }

    /**
     * Seals the active segment at {@code tail} with an end marker and starts the next one; returns the
     * new tail (the next segment's base).
     */
    public long roll(long tail) throws IOException {
        Segment s = activeSegment();
        int at = (int) (tail - s.base());
        if (s.capacity() - at >= 4) {
            s.write(ByteBuffer.allocate(4).putInt(0, RecordCodec.END_OF_SEGMENT), at);
        }
        return createSegment(s.end()).base();
    }

    public void publishWritten(long position) {
        writtenPosition = position;
    }

    /** Forces every segment that holds bytes between the flushed position and {@code upTo}. */
    public void flush(long upTo) throws IOException {
        long from = flushedPosition;
        if (upTo <= from) return;
        Map.Entry<Long, Segment> first = segments.floorEntry(from);
        for (Segment s : segments.tailMap(first == null ? segments.firstKey() : first.getKey()).values()) {
            if (s.base() >= upTo) break;
            try {
                s.force();
            } catch (ClosedChannelException e) {
                // retention deleted it meanwhile: nothing of it needs to be durable any more
                if (segments.get(s.base()) == s) throw e;
            }
        }
        flushedPosition = upTo;
    }

    /**
     * Recovery's verdict: the log ends at {@code end}; later segments (which recovery found to hold only
     * a torn, never acknowledged tail) are dropped.
     */
    public void setEnd(long end) throws IOException {
        boolean dropped = false;
        for (Segment s : new ArrayList<>(segments.tailMap(end, false).values())) {
            if (s.base() > end) {
                segments.remove(s.base());
                s.close();
                io.delete(s.path());
                dropped = true;
            }
        }
        if (dropped) io.syncDirectory(dir);
        if (segmentFor(end) == null && end == activeSegment().end()) {
            createSegment(end);
        }
        writtenPosition = end;
        flushedPosition = end;
    }

    /** Forces everything; used once after recovery so that the recovered state is durable. */
    public void forceAll() throws IOException {
        for (Segment s : segments.values()) s.force();
    }

    /**
     * Removes the oldest segment from the log (never the active one) and returns it, or null when only the
     * active one is left. New reads no longer reach it; the caller releases its space with
     * {@link #release} once reads already under way have had time to finish.
     */
    public Segment removeOldest() {
        if (segments.size() <= 1) return null;
        return segments.pollFirstEntry().getValue();
    }

    /**
     * Gives a removed segment's disk space back. The file is truncated before it is deleted: a memory
     * map still held by a slow reader would otherwise keep the blocks allocated until garbage collection.
     * (A reader touching such a map afterwards gets an InternalError from the JVM, not a crash.)
     */
    public void release(Segment s) throws IOException {
        s.truncateAndClose();
        io.delete(s.path());
        io.syncDirectory(dir);
    }

    public long totalBytes() {
        long sum = 0;
        for (Segment s : segments.values()) sum += s.capacity();
        return sum;
    }

    public void close() {
        for (Segment s : segments.values()) s.close();
    }
}
