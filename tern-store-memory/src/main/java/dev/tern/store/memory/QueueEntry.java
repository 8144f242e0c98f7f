package dev.tern.store.memory;

import dev.tern.common.codec.RecordCodec;
import dev.tern.common.message.MessageId;
import dev.tern.common.message.StoredMessage;
import dev.tern.store.api.AppendResult;
import dev.tern.store.api.StoredRecord;

import java.nio.ByteBuffer;

/**
 * One stored message: its stamped {@link RecordCodec} bytes, never modified after the append, and the
 * index fields that reads and lookups need without decoding.
 */
record QueueEntry(long queueOffset, MessageId id, long storeTimestamp, int tagHash, byte[] bytes) {

    /** A read-only view: the bytes are shared by every reader, so nobody may write through it. */
    StoredRecord record() {
        return new StoredRecord(queueOffset, tagHash, storeTimestamp, ByteBuffer.wrap(bytes).asReadOnlyBuffer());
    }

    StoredMessage message() {
        return RecordCodec.decode(ByteBuffer.wrap(bytes), 0);
    }

    AppendResult result() {
        return new AppendResult(queueOffset, id, storeTimestamp);
    }

    /** Global append order, used to order key lookups across the queues of a topic. */
    long sequence() {
        return id.low();
    }
}
