package dev.tern.store.local;

import dev.tern.common.error.TernException;
import dev.tern.store.local.io.FileIO;
import dev.tern.store.local.io.FileTrees;
import dev.tern.store.local.log.Checkpoint;
import dev.tern.store.local.log.CommitLog;
import dev.tern.store.local.log.LogCursor;
import dev.tern.store.local.log.Segment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The operator's side of "recovery refuses to guess" ({@code tern store repair}), on a stopped node's data
 * directory. {@link #inspect} walks the whole commit log, checking every record, and says where the
 * first bad record is and what cutting the log there would drop; {@link #truncateAt} does the cut: the
 * rest of that segment is zeroed, later segments are moved aside into {@code log-quarantine/<time>/}
 * (never deleted), and the checkpoint and the derived key index are removed, so the next start rebuilds
 * the consume queues and the index from the log that is left.
 */
public final class LogRepair {
    /** Opening the log for a repair extends a short last segment to no more than this (the smallest segment size). */
    private static final int MIN_SEGMENT_BYTES = 64 * 1024;

    private LogRepair() {
    }

    /**
     * What the walk found. {@code badAt} is -1 when every record is valid and the log reaches the durable
     * position; otherwise the position of the first bad record (or of an early end), in {@code segment}
     * at {@code segmentByte}.
     */
    public record Report(long records, long firstPosition, long endPosition, long durablePosition, long badAt,
                         String problem, Path segment, long segmentByte, long bytesAfter, List<Path> laterSegments) {
        public boolean intact() {
            return badAt < 0;
        }
    }

    public static Report inspect(Path dataDir) throws IOException {
        try (Locked l = lock(dataDir)) {
            return walk(dataDir, l.log);
        }
    }

    private static Report walk(Path dataDir, CommitLog log) throws IOException {
        long durable = Checkpoint.read(dataDir.resolve("checkpoint")).map(Checkpoint::logFlushed).orElse(0L);
        LogCursor cursor = new LogCursor(log, log.minPosition(), true);
        long records = 0;
        LogCursor.Step step;
        while ((step = cursor.next(Long.MAX_VALUE)) == LogCursor.Step.RECORD) records++;
        long end = cursor.position();
        // the rule of a start: at or after the durable position a bad record is a torn tail, cut by itself
        boolean bad = end < durable;
        if (!bad) {
            return new Report(records, log.minPosition(), end, durable, -1, null, null, -1, 0, List.of());
        }
        Segment s = log.segmentFor(end);
        List<Path> later = new ArrayList<>();
        long after = s == null ? 0 : s.end() - end;
        for (Segment o : log.segments()) {
            if (s != null && o.base() > s.base()) {
                later.add(o.path());
                after += o.capacity();
            }
        }
        String problem = step == LogCursor.Step.INVALID ? "a record fails its checksum or framing"
                : "the log ends before position " + durable + ", which was on stable storage";
        return new Report(records, log.minPosition(), end, durable, end, problem, s == null ? null : s.path(),
                s == null ? -1 : end - s.base(), after, later);
    }

    /**
     * Cuts the log at {@code position}, which must be a record boundary at or before the first bad record.
     * Returns where the later segments were moved (null when there were none).
     */
    public static Path truncateAt(Path dataDir, long position) throws IOException {
        try (Locked l = lock(dataDir)) {
            CommitLog log = l.log;
            Report r = walk(dataDir, log);
            long limit = r.intact() ? r.endPosition() : r.badAt();
            if (position < log.minPosition() || position > limit || !isBoundary(log, position)) {
                throw TernException.invalid("--truncate-at " + position + " is not the start of a record between "
                        + log.minPosition() + " and " + limit + " (the first bad record" + (r.intact() ? ": none" : " is at " + r.badAt()) + ")");
            }
            Segment s = log.segmentFor(position);
            if (s == null) throw TernException.invalid("no segment holds position " + position);
            Path quarantine = null;
            for (Segment o : log.segments()) {
                if (o.base() <= s.base()) continue;
                if (quarantine == null) {
                    quarantine = dataDir.resolve("log-quarantine").resolve(Instant.now().toString().replace(':', '-'));
                    FileIO.DEFAULT.createDirectories(quarantine);
                }
                Files.move(o.path(), quarantine.resolve(o.path().getFileName()), StandardCopyOption.ATOMIC_MOVE);
            }
            log.zero(position, log.restOfSegment(position));
            log.forceAll();
            if (quarantine != null) FileIO.DEFAULT.syncDirectory(quarantine);
            FileIO.DEFAULT.delete(dataDir.resolve("checkpoint"));
            FileTrees.delete(dataDir.resolve("index"));
            FileIO.DEFAULT.syncDirectory(dataDir.resolve("log"));
            FileIO.DEFAULT.syncDirectory(dataDir);
            return quarantine;
        }
    }

    /** True when a record starts at {@code position}, or the walk ends there (the first bad record). */
    private static boolean isBoundary(CommitLog log, long position) {
        LogCursor cursor = new LogCursor(log, log.minPosition(), false);
        while (true) {
            LogCursor.Step step = cursor.next(Long.MAX_VALUE);
            if (cursor.position() == position) return true;
            if (step != LogCursor.Step.RECORD || cursor.position() > position) return false;
        }
    }

    /** The data directory's lock (a running node holds it) and its log, for the time of a repair. */
    private record Locked(DataDirLock lock, CommitLog log) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            log.close();
            lock.close();
        }
    }

    private static Locked lock(Path dataDir) throws IOException {
        if (!Files.isDirectory(dataDir.resolve("log"))) {
            throw TernException.invalid(dataDir + " holds no commit log (is it a Tern data directory?)");
        }
        DataDirLock lock = DataDirLock.acquire(dataDir, "(a node has it open): stop the node first");
        try {
            FormatVersion.check(dataDir, FileIO.DEFAULT);
            return new Locked(lock, CommitLog.open(dataDir.resolve("log"), FileIO.DEFAULT, MIN_SEGMENT_BYTES));
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }
}
