package dev.tern.store.api;

import dev.tern.common.codec.RecordCodec;
import dev.tern.common.message.StoredMessage;

import java.nio.ByteBuffer;

/**
 * One stored message as the store keeps it: its encoded bytes in the {@link RecordCodec} format
 * (checksum verified by the store) and the index fields that need no decoding.
 *
 * @param buffer read-only, from position 0 to the record's size; may be a view of the store's memory,
 *               valid until the {@link ReadResult} it came from is closed
 */
public record StoredRecord(long queueOffset, int tagHash, long storeTimestamp, ByteBuffer buffer) {

    public int size() {
        return buffer.remaining();
    }

    /** Decodes the whole message (copies the body onto the heap). */
    public StoredMessage message() {
        return RecordCodec.decode(buffer, buffer.position());
    }
}
