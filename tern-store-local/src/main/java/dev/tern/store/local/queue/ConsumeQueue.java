package dev.tern.store.local.queue;

import dev.tern.store.local.io.DataFile;
import dev.tern.store.local.io.FileIO;
import dev.tern.store.local.io.Zeroes;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Stream;

/**
 * The consume index of one queue: fixed-size entries, one per message, so that the message at any queue
 * offset is found in O(1) and a tag filter or a time lookup needs no commit-log read. Entry layout (32
 * bytes, big-endian): log position (8), record size (4), tag hash (4), store timestamp (8), and the
 * queue's running total of record bytes up to and including this one (8), so that the bytes a queue
 * holds are one subtraction. A size of 0 marks an empty slot.
 * <p>
 * Files hold {@code entriesPerFile} entries each and are named by their first offset. The appender
 * writes; readers see entries below {@link #nextOffset()}; retention drops whole head files but never
 * the last one (which remembers where the queue ends).
 */
public final class ConsumeQueue {
    public static final int ENTRY = 32;

    private final Path dir;
    private final FileIO io;
    private final int entriesPerFile;
    private final ConcurrentSkipListMap<Long, QueueFile> files = new ConcurrentSkipListMap<>();
    private volatile long minOffset;
    private volatile long nextOffset;
    /** The appender's next offset to assign; runs ahead of {@link #nextOffset} while a write is under way. */
    private long assignNext;
    /** The running byte total after the last assigned offset (writer side, like {@link #assignNext}). */
    private long assignBytes;
    /** Files written since the last force, forced by the checkpoint. */
    private final List<QueueFile> dirty = new ArrayList<>();

    private record QueueFile(long base, Path path, DataFile file, ByteBuffer map) {
    }

    private ConsumeQueue(Path dir, FileIO io, int entriesPerFile) {
        this.dir = dir;
        this.io = io;
        this.entriesPerFile = entriesPerFile;
    }

    /** Opens (creating the directory if needed) and finds where the queue ends. */
    public static ConsumeQueue open(Path dir, FileIO io, int entriesPerFile) throws IOException {
        io.createDirectories(dir);
        ConsumeQueue q = new ConsumeQueue(dir, io, entriesPerFile);
        List<Path> paths;
        try (Stream<Path> s = Files.list(dir)) {
            paths = s.filter(p -> p.getFileName().toString().matches("\\d{20}\\.cq")).sorted().toList();
        }
        for (Path p : paths) {
            long base = Long.parseLong(p.getFileName().toString().substring(0, 20));
            q.files.put(base, q.openFile(base, p));
        }
        q.nextOffset = q.findEnd();
        q.assignNext = q.nextOffset;
        q.minOffset = q.files.isEmpty() ? q.nextOffset : q.firstFilled();
        q.assignBytes = q.totalBefore(q.nextOffset);
        return q;
    }

    private QueueFile openFile(long base, Path p) throws IOException {
        long bytes = (long) entriesPerFile * ENTRY;
        DataFile f = io.open(p, bytes);
        long size = f.size();
        return new QueueFile(base, p, f, f.mapReadOnly(Math.max(bytes, size - size % ENTRY)));
    }

    /** Entries are written contiguously, so the filled slots of the last file form a prefix: binary search its end. */
    private long findEnd() {
        if (files.isEmpty()) return 0;
        QueueFile last = files.lastEntry().getValue();
        int n = last.map.capacity() / ENTRY;
        int lo = 0, hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (last.map.getInt(mid * ENTRY + 8) != 0) lo = mid + 1; else hi = mid;
        }
        if (lo == 0 && files.size() > 1) {
            // the last file was created but nothing written: the queue ends where the previous file does
            return last.base;
        }
        return last.base + lo;
    }

    private long firstFilled() {
        long lo = files.firstKey(), hi = nextOffset;
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            if (size(mid) == 0) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    public long minOffset() {
        return minOffset;
    }

    public long nextOffset() {
        return nextOffset;
    }

    // ---- readers: offsets in [minOffset, nextOffset) ----

    /** One entry, read with a single file lookup (the read path reads every field of many entries). */
    public static final class Entry {
        public long logPosition;
        public int size;
        public int tagHash;
        public long storeTimestamp;
    }

    /** Fills {@code into} with the entry at {@code offset}; false if its file is gone (retention). */
    public boolean read(long offset, Entry into) {
        Map.Entry<Long, QueueFile> e = files.floorEntry(offset);
        if (e == null) return false;
        ByteBuffer m = e.getValue().map;
        int at = (int) (offset - e.getKey()) * ENTRY;
        into.logPosition = m.getLong(at);
        into.size = m.getInt(at + 8);
        into.tagHash = m.getInt(at + 12);
        into.storeTimestamp = m.getLong(at + 16);
        return true;
    }

    /** The commit-log position of the message at {@code offset}, or -1 if the entry is gone. */
    public long logPosition(long offset) {
        Map.Entry<Long, QueueFile> e = files.floorEntry(offset);
        return e == null ? -1 : e.getValue().map.getLong((int) (offset - e.getKey()) * ENTRY);
    }

    public int size(long offset) {
        Map.Entry<Long, QueueFile> e = files.floorEntry(offset);
        return e == null ? 0 : e.getValue().map.getInt((int) (offset - e.getKey()) * ENTRY + 8);
    }

    public int tagHash(long offset) {
        Map.Entry<Long, QueueFile> e = files.floorEntry(offset);
        return e == null ? 0 : e.getValue().map.getInt((int) (offset - e.getKey()) * ENTRY + 12);
    }

    public long storeTimestamp(long offset) {
        Map.Entry<Long, QueueFile> e = files.floorEntry(offset);
        return e == null ? 0 : e.getValue().map.getLong((int) (offset - e.getKey()) * ENTRY + 16);
    }

    /** For each file, the offsets [first, end) it can hold. */
    public List<long[]> fileSpans() {
        List<long[]> spans = new ArrayList<>();
        for (long base : files.keySet()) spans.add(new long[]{base, base + entriesPerFile});
        return spans;
    }

    /** The running byte total after the message at {@code offset}. */
    private long totalAfter(long offset) {
        Map.Entry<Long, QueueFile> e = files.floorEntry(offset);
        return e == null ? 0 : e.getValue().map.getLong((int) (offset - e.getKey()) * ENTRY + 24);
    }

    /** The running byte total before {@code offset}: 0 when no entry before it is kept (only when the queue is empty). */
    private long totalBefore(long offset) {
        if (offset <= 0 || files.isEmpty() || offset - 1 < files.firstKey() || size(offset - 1) == 0) return 0;
        return totalAfter(offset - 1);
    }

    /** The bytes of the records of the kept messages, [minOffset, nextOffset). */
    public long storedBytes() {
        long min = minOffset, next = nextOffset;
        if (next <= min) return 0;
        return totalAfter(next - 1) - (totalAfter(min) - size(min));
    }

    /** The first offset in [minOffset, nextOffset) stored at or after {@code timestamp}, or nextOffset. */
    public long offsetForTime(long timestamp) {
        long lo = minOffset, hi = nextOffset;
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            if (storeTimestamp(mid) < timestamp) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    // ---- the appender ----

    /** Reserves the next offset for a message being written. */
    public long assign() {
        return assignNext++;
    }

    /** Adds a record of {@code size} bytes being written; returns the running total to put in its entry. */
    public long accumulate(int size) {
        assignBytes += size;
        return assignBytes;
    }

    /** Writes {@code entries} (whole entries) starting at {@code firstOffset}, which is the queue's end. */
    public void write(ByteBuffer entries, long firstOffset) throws IOException {
        long offset = firstOffset;
        while (entries.hasRemaining()) {
            QueueFile f = fileForWrite(offset);
            int room = (int) (f.base + entriesPerFile - offset) * ENTRY;
            ByteBuffer part = entries.slice(entries.position(), Math.min(room, entries.remaining()));
            f.file.write(part, (offset - f.base) * ENTRY);
            int n = (room < entries.remaining() ? room : entries.remaining());
            entries.position(entries.position() + n);
            offset += n / ENTRY;
            synchronized (dirty) {
                if (!dirty.contains(f)) dirty.add(f);
            }
        }
    }

    private synchronized QueueFile fileForWrite(long offset) throws IOException {
        Map.Entry<Long, QueueFile> e = files.floorEntry(offset);
        if (e != null && offset < e.getKey() + entriesPerFile) return e.getValue();
        long base = offset - offset % entriesPerFile;
        Path p = dir.resolve(String.format("%020d.cq", base));
        QueueFile f = openFile(base, p);
        io.syncDirectory(dir);
        files.put(base, f);
        return f;
    }

    /** Makes entries below {@code next} visible to readers. */
    public void publish(long next) {
        nextOffset = next;
        if (minOffset > next) minOffset = next;
    }

    /**
     * Forgets offsets assigned since the last publish (their write failed) and zeroes whatever of their
     * entries reached the files, so that no later open takes them for written entries. Throws if that
     * cannot be done; the caller must then stop writing.
     */
    public void rollback() throws IOException {
        long from = nextOffset, to = assignNext;
        assignNext = from;
        assignBytes = totalBefore(from);
        for (long offset = from; offset < to; ) {
            Map.Entry<Long, QueueFile> e = files.floorEntry(offset);
            long fileEnd = e == null ? offset + 1 : Math.min(e.getKey() + entriesPerFile, to);
            if (e != null && offset < e.getKey() + entriesPerFile) {
                QueueFile f = e.getValue();
                Zeroes.overwrite(f.file, f.map, (offset - f.base) * ENTRY, (fileEnd - offset) * ENTRY);
            } else {
                fileEnd = offset - offset % entriesPerFile + entriesPerFile; // no file: nothing reached the disk
            }
            offset = fileEnd;
        }
    }

    /**
     * Recovery: cuts the queue at {@code next}, zeroing later slots so that a later open does not take
     * them for written entries.
     */
    public void truncate(long next) throws IOException {
        if (next >= nextOffset) return;
        long offset = next;
        while (offset < nextOffset) {
            QueueFile f = fileForWrite(offset);
            long fileEnd = Math.min(f.base + entriesPerFile, nextOffset);
            f.file.write(ByteBuffer.allocate((int) (fileEnd - offset) * ENTRY), (offset - f.base) * ENTRY);
            offset = fileEnd;
        }
        boolean dropped = false;
        for (QueueFile f : new ArrayList<>(files.tailMap(next, false).values())) {
            if (f.base > next || (f.base == next && files.size() > 1)) {
                dropFile(f);
                dropped = true;
            }
        }
        if (dropped) io.syncDirectory(dir);
        nextOffset = next;
        assignNext = next;
        assignBytes = totalBefore(next);
        if (minOffset > next) minOffset = next;
    }

    /** Recovery, rebuilding from scratch: the first message kept in the log has this offset. */
    public void startAt(long offset) {
        if (files.isEmpty() && nextOffset == 0) {
            nextOffset = offset;
            assignNext = offset;
            minOffset = offset;
        }
    }

    /**
     * Forces the files written since the last call. A file whose force failed (and every one after it)
     * stays dirty; the caller turns the store read-only, since the kernel may have dropped its pages.
     */
    public void force() throws IOException {
        List<QueueFile> toForce;
        synchronized (dirty) {
            toForce = new ArrayList<>(dirty);
            dirty.clear();
        }
        for (int i = 0; i < toForce.size(); i++) {
            try {
                toForce.get(i).file.force();
            } catch (IOException | RuntimeException e) {
                synchronized (dirty) {
                    for (QueueFile f : toForce.subList(i, toForce.size())) if (!dirty.contains(f)) dirty.add(f);
                }
                throw e;
            }
        }
    }

    /**
     * Retention: entries pointing below {@code logMin} are gone. Advances the min offset and deletes whole
     * files below it, except the last file.
     */
    public synchronized void dropBelow(long logMin) throws IOException {
        long lo = minOffset, hi = nextOffset;
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            if (size(mid) == 0 || logPosition(mid) < logMin) lo = mid + 1; else hi = mid;
        }
        minOffset = lo;
        boolean dropped = false;
        while (files.size() > 1) {
            Map.Entry<Long, QueueFile> first = files.firstEntry();
            if (first.getKey() + entriesPerFile > minOffset) break;
            dropFile(first.getValue());
            dropped = true;
        }
        if (dropped) io.syncDirectory(dir);
    }

    private void dropFile(QueueFile f) throws IOException {
        files.remove(f.base);
        synchronized (dirty) {
            dirty.remove(f);
        }
        f.file.close();
        io.delete(f.path);
    }

    public void close() {
        for (QueueFile f : files.values()) {
            try {
                f.file.close();
            } catch (IOException ignored) {
                // done with it
            }
        }
    }

    /** Closes and removes the whole queue directory (topic deletion or rebuild). */
    public void deleteAll() throws IOException {
        close();
        files.clear();
        if (Files.exists(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                for (Path p : s.toList()) io.delete(p);
            }
            io.delete(dir);
            io.syncDirectory(dir.toAbsolutePath().getParent());
        }
    }
}
