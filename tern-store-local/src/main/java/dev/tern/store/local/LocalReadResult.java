package dev.tern.store.local;

import dev.tern.store.api.QueueRange;
import dev.tern.store.api.ReadResult;
import dev.tern.store.api.StoredRecord;

import java.util.List;

/**
 * A read of the local store. Its buffers are views of memory maps that stay valid until garbage
 * collected, even if retention deletes the file meanwhile, so closing has nothing to release.
 */
record LocalReadResult(Status status, List<StoredRecord> records, long nextOffset, QueueRange range) implements ReadResult {

    static LocalReadResult of(Status status, long nextOffset, QueueRange range) {
        return new LocalReadResult(status, List.of(), nextOffset, range);
    }

    @Override
    public void close() {
        // nothing to release: see the class comment
    }
}
