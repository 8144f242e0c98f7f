package dev.tern.engine;

import dev.tern.store.api.QueueRange;
import dev.tern.store.api.ReadResult;
import dev.tern.store.api.StoredRecord;

import java.util.List;

/**
 * What a pull found: the status and records of the store's read (records are the stored bytes, possibly
 * shared with the store until {@link #close()}), the offset to pull from next, and the queue's range.
 * A status of OFFSET_TOO_SMALL or OFFSET_TOO_BIG tells the consumer to continue from {@link #nextOffset()}.
 */
public record PullResult(ReadResult.Status status, List<StoredRecord> records, long nextOffset, QueueRange range,
                         ReadResult source) implements AutoCloseable {

    @Override
    public void close() {
        if (source != null) source.close();
    }
}
