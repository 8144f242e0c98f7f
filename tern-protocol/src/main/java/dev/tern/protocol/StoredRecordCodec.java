package dev.tern.protocol;

import dev.tern.common.codec.RecordCodec;
import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.common.message.StoredMessage;
import dev.tern.store.api.StoredRecord;
import io.netty.buffer.ByteBuf;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Stored messages on the wire: each one record in the {@link RecordCodec} format, which begins with its
 * own size and so needs no further framing. The one message encoding of every response that returns
 * stored messages (PULL, LOOKUP_BY_ID, LOOKUP_BY_KEY). A reader checks each record's size and checksum
 * before decoding it.
 */
public final class StoredRecordCodec {
    /** The fewest bytes a record takes (all strings empty, no keys or properties, empty body). */
    public static final int MIN_RECORD_SIZE = RecordCodec.HEADER_SIZE + 12;

    private StoredRecordCodec() {
    }

    /**
     * A decoded message encoded again as a record (with topic id 0, which a reader ignores): for messages
     * that reach the server already decoded, such as lookup results, and for tests.
     */
    public static StoredRecord toRecord(StoredMessage m, CRC32C crc) {
        byte[] rec = RecordCodec.prepare(m.toMessage(), m.topic(), 0, m.queue());
        RecordCodec.stamp(rec, m.queueOffset(), m.storeTimestamp(), m.messageId(), crc);
        return new StoredRecord(m.queueOffset(), RecordCodec.tagHash(m.tag()), m.storeTimestamp(), ByteBuffer.wrap(rec));
    }

    /** Writes one record: its bytes as they are (the buffer's position is not moved). */
    public static void write(ByteBuf buf, StoredRecord record) {
        buf.writeBytes(record.buffer().duplicate());
    }

    /** Writes {@code int count | record...}, encoding each message as a record. */
    public static void writeMessages(ByteBuf buf, List<StoredMessage> messages) {
        buf.writeInt(messages.size());
        CRC32C crc = new CRC32C();
        for (StoredMessage m : messages) write(buf, toRecord(m, crc));
    }

    /** Reads {@code int count | record...}. */
    public static List<StoredMessage> readMessages(ByteBuf buf) {
        int n = Wire.readCount(buf, "records", MIN_RECORD_SIZE);
        List<StoredMessage> messages = new ArrayList<>(n);
        CRC32C crc = new CRC32C();
        for (int i = 0; i < n; i++) messages.add(read(buf, i, crc));
        return messages;
    }

    /**
     * Reads one record, the {@code index}-th of its response (for error messages).
     *
     * @throws FrameException MALFORMED_REQUEST for a size that does not fit the bytes left; CORRUPT_RECORD
     *                        for a record that fails its checksum or does not decode
     */
    public static StoredMessage read(ByteBuf buf, int index, CRC32C crc) {
        int size = Wire.readInt(buf, "record size");
        if (size < MIN_RECORD_SIZE || size - 4 > buf.readableBytes()) {
            throw FrameException.malformed("record " + index + " claims " + size + " bytes; "
                    + (buf.readableBytes() + 4) + " are left and a record has at least " + MIN_RECORD_SIZE);
        }
        ByteBuffer record = buf.nioBuffer(buf.readerIndex() - 4, size);
        buf.skipBytes(size - 4);
        int pos = record.position();
        if (RecordCodec.check(record, pos, pos + size, crc) != RecordCodec.Check.VALID) {
            throw new FrameException(ErrorCode.CORRUPT_RECORD, 0, "record " + index + " fails its checksum");
        }
        try {
            return RecordCodec.decode(record, pos);
        } catch (TernException e) {
            throw new FrameException(ErrorCode.CORRUPT_RECORD, 0, "record " + index + ": " + e.getMessage());
        }
    }
}
