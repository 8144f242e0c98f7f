package dev.tern.protocol;

import dev.tern.common.codec.RecordCodec;
import dev.tern.common.message.StoredMessage;
import dev.tern.engine.PullResult;
import dev.tern.store.api.QueueRange;
import dev.tern.store.api.ReadResult;
import dev.tern.store.api.StoredRecord;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;

import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Bodies of PULL and its response. Request: {@code string topic | int queue | long offset |
 * int maxMessages | int maxBytes | int maxWaitMs | string tagFilter (empty: none)}. Response:
 * {@code byte status | long nextOffset | long range.minOffset | long range.nextOffset | int record count |
 * records...}, each record in the {@link RecordCodec} format exactly as stored (see
 * {@link StoredRecordCodec}).
 * <p>
 * A server encodes the response with {@link #encodeResponse(ByteBufAllocator, int, PullResult)}, which
 * wraps the store's record buffers instead of copying them; the caller releases the pull result once the
 * frame is written.
 */
public final class PullCodec {
    /** Bytes of the response body before the records. */
    public static final int RESPONSE_HEADER_SIZE = 1 + 8 + 8 + 8 + 4;
    private static final ReadResult.Status[] STATUSES = {
            ReadResult.Status.FOUND, ReadResult.Status.NO_MESSAGES,
            ReadResult.Status.OFFSET_TOO_SMALL, ReadResult.Status.OFFSET_TOO_BIG};

    private PullCodec() {
    }

    public static void writeRequest(ByteBuf buf, Request.Pull r) {
        Wire.writeString(buf, r.topic());
        buf.writeInt(r.queue()).writeLong(r.offset());
        buf.writeInt(r.maxMessages()).writeInt(r.maxBytes()).writeInt(r.maxWaitMs());
        Wire.writeOptString(buf, r.tagFilter());
    }

    public static Request.Pull readRequest(ByteBuf buf) {
        String topic = Wire.readString(buf, "topic");
        int queue = Wire.readInt(buf, "queue");
        long offset = Wire.readLong(buf, "offset");
        int maxMessages = Wire.readInt(buf, "maxMessages");
        int maxBytes = Wire.readInt(buf, "maxBytes");
        int maxWaitMs = Wire.readInt(buf, "maxWaitMs");
        String filter = Wire.readOptString(buf, "tagFilter");
        return new Request.Pull(topic, queue, offset, maxMessages, maxBytes, maxWaitMs, filter);
    }

    /**
     * The whole PULL response frame: a small header buffer followed by one wrapped (not copied) buffer per
     * stored record. The records must stay valid until the frame is written; then close {@code result}.
     */
    public static ByteBuf encodeResponse(ByteBufAllocator alloc, int requestId, PullResult result) {
        return encode(alloc, requestId, result.status(), result.nextOffset(), result.range(), result.records());
    }

    /**
     * The PULL response frame for already decoded messages (re-encoded into the record format with topic
     * id 0): for tests and tools; a server uses {@link #encodeResponse(ByteBufAllocator, int, PullResult)}.
     */
    public static ByteBuf encodeResponse(ByteBufAllocator alloc, int requestId, Response.Pulled pulled) {
        List<StoredRecord> records = new ArrayList<>(pulled.messages().size());
        CRC32C crc = new CRC32C();
        for (StoredMessage m : pulled.messages()) records.add(StoredRecordCodec.toRecord(m, crc));
        return encode(alloc, requestId, pulled.status(), pulled.nextOffset(), pulled.range(), records);
    }

    private static ByteBuf encode(ByteBufAllocator alloc, int requestId, ReadResult.Status status, long nextOffset,
                                  QueueRange range, List<StoredRecord> records) {
        int recordBytes = 0;
        for (StoredRecord r : records) recordBytes += r.size();
        ByteBuf header = alloc.buffer(Frame.LENGTH_FIELD_SIZE + Frame.HEADER_SIZE + RESPONSE_HEADER_SIZE);
        FrameCodec.writeHeader(header, FrameType.PULL_RESPONSE, requestId, RESPONSE_HEADER_SIZE + recordBytes);
        header.writeByte(statusCode(status)).writeLong(nextOffset);
        header.writeLong(range.minOffset()).writeLong(range.nextOffset());
        header.writeInt(records.size());
        if (records.isEmpty()) return header;
        CompositeByteBuf frame = alloc.compositeBuffer(records.size() + 1);
        frame.addComponent(true, header);
        for (StoredRecord r : records) frame.addComponent(true, Unpooled.wrappedBuffer(r.buffer().duplicate()));
        return frame;
    }

    private static int statusCode(ReadResult.Status status) {
        return switch (status) {
            case FOUND -> 0;
            case NO_MESSAGES -> 1;
            case OFFSET_TOO_SMALL -> 2;
            case OFFSET_TOO_BIG -> 3;
        };
    }

    /** Decodes a PULL response body, checking each record's size and checksum before decoding it. */
    public static Response.Pulled readResponse(ByteBuf buf) {
        int s = Wire.readByte(buf, "status");
        if (s >= STATUSES.length) throw FrameException.malformed("unknown pull status " + s);
        long nextOffset = Wire.readLong(buf, "nextOffset");
        long min = Wire.readLong(buf, "range.minOffset");
        QueueRange range = new QueueRange(min, Wire.readLong(buf, "range.nextOffset"));
        return new Response.Pulled(STATUSES[s], nextOffset, range, StoredRecordCodec.readMessages(buf));
    }
}
