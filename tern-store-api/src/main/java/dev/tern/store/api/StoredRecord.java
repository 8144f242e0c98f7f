package dev.tern.store.api;

import dev.tern.common.codec.RecordCodec;
import dev.tern.common.message.StoredMessage;

import java.nio.ByteBuffer;

/**
 * One stored message as the store keeps it: its encoded bytes in the {@link RecordCodec} format
 * (checksum verified by the store) and the index fields that need no decoding.
 * <p>
 * The buffer may be shared — by everyone who holds the record, and with the store's memory — so do not
 * move its position or limit: read it with absolute gets, or through {@link ByteBuffer#duplicate()}.
 * {@link #size()} and {@link #message()} use its position and remaining bytes.
 *
 * @param buffer read-only; as handed out by the store, from position 0 to the record's size (limit). It
 *               may be a view of the store's memory, valid until the {@link ReadResult} it came from is closed
 */
public record StoredRecord(long queueOffset, int tagHash, long storeTimestamp, ByteBuffer buffer) {

    /** The record's size in bytes: the buffer's remaining bytes. */
    public int size() {
        return buffer.remaining();
    }

    /** Decodes the whole message from the buffer's position (copies the body onto the heap); moves nothing. */
    public StoredMessage message() {
        return RecordCodec.decode(buffer, buffer.position());
    }
}
