package dev.tern.store.local;

import dev.tern.common.Clock;
import dev.tern.common.error.TernException;
import dev.tern.store.local.io.FileIO;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Settings of the local store, each with its default. {@link #validate()} checks them all once, at open.
 *
 * @param dataDir              where everything lives (server key {@code data.dir}, default {@code ./data})
 * @param segmentBytes         size of one commit-log segment ({@code store.segment.bytes}, default 1 GiB; at most 2 GiB - 1)
 * @param maxMessageBytes      largest encoded message accepted ({@code store.max.message.bytes}, default 4 MiB)
 * @param flushIntervalMs      how often ASYNC appends are flushed to disk ({@code store.flush.interval.ms}, default 500)
 * @param checkpointIntervalMs how often the recovery checkpoint is advanced ({@code store.checkpoint.interval.ms}, default 1000);
 *                             recovery re-reads at most about this much of the log
 * @param queueEntriesPerFile  consume-queue entries per file ({@code store.queue.entries.per.file}, default 1,000,000 = 32 MB sparse)
 * @param retentionMs          delete sealed segments whose newest message is older than this ({@code store.retention.ms},
 *                             default 72 hours; -1 keeps forever)
 * @param retentionBytes       delete the oldest sealed segments while the log is larger than this ({@code store.retention.bytes},
 *                             default -1: no size limit)
 * @param retentionCheckMs     how often retention runs ({@code store.retention.check.ms}, default 60000)
 * @param verifyLogOnOpen      check every record of the whole log at open ({@code store.verify.on.open}, default false:
 *                             only the part written since the last checkpoint, where a power cut can tear records;
 *                             older records are checked by every read)
 * @param maxPendingBytes      bytes of appends that may wait for the writer ({@code store.max.pending.bytes}, default 256 MiB);
 *                             more are refused with OVERLOADED (retriable) instead of queuing without bound
 * @param fileIO               the file seam (tests inject faults)
 * @param clock                the clock seam (tests jump time)
 */
public record LocalStoreConfig(Path dataDir, long segmentBytes, int maxMessageBytes, long flushIntervalMs,
                               long checkpointIntervalMs, int queueEntriesPerFile, long retentionMs,
                               long retentionBytes, long retentionCheckMs, boolean verifyLogOnOpen, long maxPendingBytes, FileIO fileIO, Clock clock) {

    public static final long DEFAULT_SEGMENT_BYTES = 1L << 30;
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 4 << 20;
    public static final long DEFAULT_MAX_PENDING_BYTES = 256L << 20;

    public static LocalStoreConfig defaults(Path dataDir) {
        return new LocalStoreConfig(dataDir, DEFAULT_SEGMENT_BYTES, DEFAULT_MAX_MESSAGE_BYTES, 500, 1000,
                1_000_000, 72L * 3600 * 1000, -1, 60_000, false, DEFAULT_MAX_PENDING_BYTES, FileIO.DEFAULT, Clock.SYSTEM);
    }

    public LocalStoreConfig validate() {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(fileIO, "fileIO");
        Objects.requireNonNull(clock, "clock");
        require(segmentBytes >= 64 * 1024 && segmentBytes <= Integer.MAX_VALUE,
                "store.segment.bytes must be between 64 KiB and 2 GiB - 1, got " + segmentBytes);
        require(maxMessageBytes >= 1024 && maxMessageBytes <= segmentBytes / 2,
                "store.max.message.bytes must be between 1 KiB and half a segment, got " + maxMessageBytes);
        require(flushIntervalMs >= 1, "store.flush.interval.ms must be positive, got " + flushIntervalMs);
        require(checkpointIntervalMs >= 1, "store.checkpoint.interval.ms must be positive, got " + checkpointIntervalMs);
        require(queueEntriesPerFile >= 16 && queueEntriesPerFile <= 50_000_000,
                "store.queue.entries.per.file must be between 16 and 50,000,000, got " + queueEntriesPerFile);
        require(retentionMs == -1 || retentionMs > 0, "store.retention.ms must be -1 or positive, got " + retentionMs);
        require(retentionBytes == -1 || retentionBytes > 0, "store.retention.bytes must be -1 or positive, got " + retentionBytes);
        require(maxPendingBytes >= 1 << 20, "store.max.pending.bytes must be at least 1 MiB, got " + maxPendingBytes);
        require(retentionCheckMs >= 10, "store.retention.check.ms must be at least 10, got " + retentionCheckMs);
        return this;
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw TernException.invalid(message);
    }

    public LocalStoreConfig withSegmentBytes(long v) {
        return new LocalStoreConfig(dataDir, v, maxMessageBytes, flushIntervalMs, checkpointIntervalMs, queueEntriesPerFile, retentionMs, retentionBytes, retentionCheckMs, verifyLogOnOpen, maxPendingBytes, fileIO, clock);
    }

    public LocalStoreConfig withMaxMessageBytes(int v) {
        return new LocalStoreConfig(dataDir, segmentBytes, v, flushIntervalMs, checkpointIntervalMs, queueEntriesPerFile, retentionMs, retentionBytes, retentionCheckMs, verifyLogOnOpen, maxPendingBytes, fileIO, clock);
    }

    public LocalStoreConfig withFlushIntervalMs(long v) {
        return new LocalStoreConfig(dataDir, segmentBytes, maxMessageBytes, v, checkpointIntervalMs, queueEntriesPerFile, retentionMs, retentionBytes, retentionCheckMs, verifyLogOnOpen, maxPendingBytes, fileIO, clock);
    }

    public LocalStoreConfig withCheckpointIntervalMs(long v) {
        return new LocalStoreConfig(dataDir, segmentBytes, maxMessageBytes, flushIntervalMs, v, queueEntriesPerFile, retentionMs, retentionBytes, retentionCheckMs, verifyLogOnOpen, maxPendingBytes, fileIO, clock);
    }

    public LocalStoreConfig withQueueEntriesPerFile(int v) {
        return new LocalStoreConfig(dataDir, segmentBytes, maxMessageBytes, flushIntervalMs, checkpointIntervalMs, v, retentionMs, retentionBytes, retentionCheckMs, verifyLogOnOpen, maxPendingBytes, fileIO, clock);
    }

    public LocalStoreConfig withRetention(long ms, long bytes) {
        return new LocalStoreConfig(dataDir, segmentBytes, maxMessageBytes, flushIntervalMs, checkpointIntervalMs, queueEntriesPerFile, ms, bytes, retentionCheckMs, verifyLogOnOpen, maxPendingBytes, fileIO, clock);
    }

    public LocalStoreConfig withRetentionCheckMs(long v) {
        return new LocalStoreConfig(dataDir, segmentBytes, maxMessageBytes, flushIntervalMs, checkpointIntervalMs, queueEntriesPerFile, retentionMs, retentionBytes, v, verifyLogOnOpen, maxPendingBytes, fileIO, clock);
    }

    public LocalStoreConfig withVerifyLogOnOpen(boolean v) {
        return new LocalStoreConfig(dataDir, segmentBytes, maxMessageBytes, flushIntervalMs, checkpointIntervalMs, queueEntriesPerFile, retentionMs, retentionBytes, retentionCheckMs, v, maxPendingBytes, fileIO, clock);
    }

    public LocalStoreConfig withMaxPendingBytes(long v) {
        return new LocalStoreConfig(dataDir, segmentBytes, maxMessageBytes, flushIntervalMs, checkpointIntervalMs, queueEntriesPerFile, retentionMs, retentionBytes, retentionCheckMs, verifyLogOnOpen, v, fileIO, clock);
    }

    public LocalStoreConfig withFileIO(FileIO v) {
        return new LocalStoreConfig(dataDir, segmentBytes, maxMessageBytes, flushIntervalMs, checkpointIntervalMs, queueEntriesPerFile, retentionMs, retentionBytes, retentionCheckMs, verifyLogOnOpen, maxPendingBytes, v, clock);
    }

    public LocalStoreConfig withClock(Clock v) {
        return new LocalStoreConfig(dataDir, segmentBytes, maxMessageBytes, flushIntervalMs, checkpointIntervalMs, queueEntriesPerFile, retentionMs, retentionBytes, retentionCheckMs, verifyLogOnOpen, maxPendingBytes, fileIO, v);
    }
}
