package dev.tern.store.local;

import dev.tern.common.Clock;
import dev.tern.common.codec.RecordCodec;
import dev.tern.store.local.log.CommitLog;
import dev.tern.store.local.log.Segment;
import dev.tern.store.local.queue.ConsumeQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Deletes whole sealed segments from the head of the log ("tern-retention"): those whose newest message
 * is older than the age limit, and the oldest ones while the log is over the size limit. The active
 * segment is never deleted. The consume queues then drop their entries below the new start of the log,
 * so a read of a removed offset says OFFSET_TOO_SMALL, and lookups skip what is gone.
 */
final class Retention implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

    private final CommitLog log;
    private final TopicTable topics;
    private final Clock clock;
    private final long retentionMs;
    private final long retentionBytes;
    private final LongSupplier lastTimestamp;
    private final java.util.function.Consumer<Segment> releaseLater;

    /** {@code releaseLater} gives a removed segment's space back after reads under way had time to end. */
    Retention(CommitLog log, TopicTable topics, Clock clock, long retentionMs, long retentionBytes, LongSupplier lastTimestamp,
              java.util.function.Consumer<Segment> releaseLater) {
        this.releaseLater = releaseLater;
        this.log = log;
        this.topics = topics;
        this.clock = clock;
        this.retentionMs = retentionMs;
        this.retentionBytes = retentionBytes;
        this.lastTimestamp = lastTimestamp;
    }

    @Override
    public void run() {
        try {
            int deleted = 0;
            while (true) {
                List<Segment> segments = log.segments();
                if (segments.size() <= 1) break;
                boolean expired = retentionMs > 0 && newestTimestamp(segments.get(1)) < clock.millis() - retentionMs;
                boolean oversize = retentionBytes > 0 && log.totalBytes() > retentionBytes;
                if (!expired && !oversize) break;
                Segment removed = log.removeOldest();
                if (removed == null) break;
                releaseLater.accept(removed);
                deleted++;
            }
            if (deleted > 0) {
                long min = log.minPosition();
                for (TopicState t : topics.all()) {
                    for (ConsumeQueue q : t.queues) q.dropBelow(min);
                }
                LOG.info("retention deleted {} log segment(s); the log now starts at {}", deleted, min);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("retention failed, will retry: {}", e.toString());
        }
    }

    /**
     * An upper bound of the newest timestamp in the segment before {@code next}: timestamps never
     * decrease along the log, so it is the first timestamp of the next segment, or the newest handed out.
     */
    private long newestTimestamp(Segment next) {
        ByteBuffer map = next.map();
        if (next.base() < log.writtenPosition() && map.getInt(0) > RecordCodec.HEADER_SIZE) {
            return RecordCodec.storeTimestamp(map, 0);
        }
        return lastTimestamp.getAsLong();
    }
}
