package dev.tern.protocol;

import dev.tern.common.message.MessageId;
import dev.tern.common.message.StoredMessage;
import io.netty.buffer.ByteBuf;

import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * Bodies of the lookups. OFFSET_FOR_TIME: {@code string topic | int queue | long timestamp}, answered by
 * {@code long offset}. LOOKUP_BY_ID: {@code long id.high | long id.low}, answered by {@code bool found |
 * record (if found)}. LOOKUP_BY_KEY: {@code string topic | string key | int limit}, answered by
 * {@code int record count | records...}. Messages travel as records in the one message encoding of
 * responses, {@link StoredRecordCodec}.
 */
public final class LookupCodec {

    private LookupCodec() {
    }

    public static void writeOffsetForTime(ByteBuf buf, Request.OffsetForTime r) {
        Wire.writeString(buf, r.topic());
        buf.writeInt(r.queue()).writeLong(r.timestamp());
    }

    public static Request.OffsetForTime readOffsetForTime(ByteBuf buf) {
        String topic = Wire.readString(buf, "topic");
        int queue = Wire.readInt(buf, "queue");
        return new Request.OffsetForTime(topic, queue, Wire.readLong(buf, "timestamp"));
    }

    public static void writeById(ByteBuf buf, Request.LookupById r) {
        buf.writeLong(r.id().high()).writeLong(r.id().low());
    }

    public static Request.LookupById readById(ByteBuf buf) {
        long high = Wire.readLong(buf, "messageId.high");
        return new Request.LookupById(new MessageId(high, Wire.readLong(buf, "messageId.low")));
    }

    public static void writeByKey(ByteBuf buf, Request.LookupByKey r) {
        Wire.writeString(buf, r.topic());
        Wire.writeString(buf, r.key());
        buf.writeInt(r.limit());
    }

    public static Request.LookupByKey readByKey(ByteBuf buf) {
        String topic = Wire.readString(buf, "topic");
        String key = Wire.readString(buf, "key");
        return new Request.LookupByKey(topic, key, Wire.readInt(buf, "limit"));
    }

    public static void writeFoundById(ByteBuf buf, Optional<StoredMessage> message) {
        buf.writeByte(message.isPresent() ? 1 : 0);
        message.ifPresent(m -> StoredRecordCodec.write(buf, StoredRecordCodec.toRecord(m, new CRC32C())));
    }

    public static Optional<StoredMessage> readFoundById(ByteBuf buf) {
        return Wire.readBoolean(buf, "found") ? Optional.of(StoredRecordCodec.read(buf, 0, new CRC32C())) : Optional.empty();
    }

    public static void writeFoundByKey(ByteBuf buf, List<StoredMessage> messages) {
        StoredRecordCodec.writeMessages(buf, messages);
    }

    public static List<StoredMessage> readFoundByKey(ByteBuf buf) {
        return StoredRecordCodec.readMessages(buf);
    }
}
