package dev.tern.store.api;

import java.util.List;

/**
 * The outcome of a {@link MessageLog#read}. {@link #records()} may share buffers with the store (for
 * the local store, read-only views of its files), so that a server can send them without copying;
 * they stay valid until {@link #close()}.
 */
public interface ReadResult extends AutoCloseable {

    enum Status {
        /** At least one record is returned. */
        FOUND,
        /** Nothing to return at this offset: the queue ends here, or the filter skipped everything read. */
        NO_MESSAGES,
        /** The offset is older than the oldest kept message: read again from {@code range().minOffset()}. */
        OFFSET_TOO_SMALL,
        /** The offset is past the end of the queue: read again from {@code range().nextOffset()}. */
        OFFSET_TOO_BIG
    }

    Status status();

    /** The records, in offset order; empty unless FOUND. */
    List<StoredRecord> records();

    /**
     * The offset to read from next: after the last record returned or skipped by the filter; for
     * OFFSET_TOO_SMALL the queue's minOffset, for OFFSET_TOO_BIG its nextOffset (see {@link MessageLog#read}).
     */
    long nextOffset();

    /** The queue's range when the read was served. */
    QueueRange range();

    /** Releases shared buffers; the records must not be used afterwards. Idempotent. */
    @Override
    void close();
}
