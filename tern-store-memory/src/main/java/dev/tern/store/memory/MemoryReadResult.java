package dev.tern.store.memory;

import dev.tern.store.api.QueueRange;
import dev.tern.store.api.ReadResult;
import dev.tern.store.api.StoredRecord;

import java.util.List;

/** A read served from memory. Its buffers are read-only views of immutable bytes, so closing frees nothing. */
record MemoryReadResult(Status status, List<StoredRecord> records, long nextOffset, QueueRange range) implements ReadResult {

    static MemoryReadResult empty(Status status, long nextOffset, QueueRange range) {
        return new MemoryReadResult(status, List.of(), nextOffset, range);
    }

    @Override
    public void close() {
        // nothing to release
    }
}
