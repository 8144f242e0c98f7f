package dev.tern.protocol;

import dev.tern.common.message.Message;
import dev.tern.common.message.MessageId;
import dev.tern.engine.QueueTarget;
import dev.tern.engine.SendResult;
import dev.tern.store.api.Durability;
import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.List;

/**
 * Bodies of SEND and its response. Request: {@code string topic | byte target (0 explicit: int queue;
 * 1 by key: string key; 2 round robin) | byte durability (0 server default, 1 async, 2 sync) | int count |
 * message...} (messages as in {@link MessageCodec}). Response: {@code string topic | int count |
 * (int queue, long queueOffset, long messageId.high, long messageId.low, long storeTimestamp)...}.
 */
public final class SendCodec {
    static final int TARGET_EXPLICIT = 0, TARGET_BY_KEY = 1, TARGET_ROUND_ROBIN = 2;
    private static final int RESULT_SIZE = 4 + 8 + 8 + 8 + 8;

    private SendCodec() {
    }

    public static void writeRequest(ByteBuf buf, Request.Send r) {
        Wire.writeString(buf, r.topic());
        writeBatch(buf, r.target(), r.durability(), r.messages());
    }

    public static Request.Send readRequest(ByteBuf buf) {
        String topic = Wire.readString(buf, "topic");
        QueueTarget target = readTarget(buf);
        return new Request.Send(topic, target, readDurability(buf), readMessages(buf));
    }

    /** {@code target | durability | int count | message...}: the part of SEND that TXN_PREPARE shares. */
    static void writeBatch(ByteBuf buf, QueueTarget target, Durability durability, List<Message> messages) {
        switch (target) {
            case QueueTarget.Explicit e -> buf.writeByte(TARGET_EXPLICIT).writeInt(e.queue());
            case QueueTarget.ByKey k -> {
                buf.writeByte(TARGET_BY_KEY);
                Wire.writeString(buf, k.key());
            }
            case QueueTarget.RoundRobin rr -> buf.writeByte(TARGET_ROUND_ROBIN);
        }
        buf.writeByte(durability == null ? 0 : durability == Durability.ASYNC ? 1 : 2);
        writeMessages(buf, messages);
    }

    static void writeMessages(ByteBuf buf, List<Message> messages) {
        buf.writeInt(messages.size());
        for (Message m : messages) MessageCodec.write(buf, m);
    }

    static Durability readDurability(ByteBuf buf) {
        int d = Wire.readByte(buf, "durability");
        return switch (d) {
            case 0 -> null;
            case 1 -> Durability.ASYNC;
            case 2 -> Durability.SYNC;
            default -> throw FrameException.malformed("unknown durability " + d);
        };
    }

    static List<Message> readMessages(ByteBuf buf) {
        int n = Wire.readCount(buf, "messages", MessageCodec.MIN_SIZE);
        List<Message> messages = new ArrayList<>(n);
        for (int i = 0; i < n; i++) messages.add(MessageCodec.read(buf));
        return messages;
    }

    static QueueTarget readTarget(ByteBuf buf) {
        int kind = Wire.readByte(buf, "target");
        return switch (kind) {
            case TARGET_EXPLICIT -> new QueueTarget.Explicit(Wire.readInt(buf, "queue"));
            case TARGET_BY_KEY -> new QueueTarget.ByKey(Wire.readString(buf, "key"));
            case TARGET_ROUND_ROBIN -> new QueueTarget.RoundRobin();
            default -> throw FrameException.malformed("unknown queue target " + kind);
        };
    }

    public static void writeResponse(ByteBuf buf, List<SendResult> results) {
        Wire.writeString(buf, results.isEmpty() ? "" : results.getFirst().topic());
        buf.writeInt(results.size());
        for (SendResult r : results) {
            buf.writeInt(r.queue()).writeLong(r.queueOffset());
            buf.writeLong(r.messageId().high()).writeLong(r.messageId().low());
            buf.writeLong(r.storeTimestamp());
        }
    }

    public static List<SendResult> readResponse(ByteBuf buf) {
        String topic = Wire.readString(buf, "topic");
        int n = Wire.readCount(buf, "results", RESULT_SIZE);
        List<SendResult> results = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int queue = buf.readInt();
            long offset = buf.readLong();
            MessageId id = new MessageId(buf.readLong(), buf.readLong());
            results.add(new SendResult(topic, queue, offset, id, buf.readLong()));
        }
        return results;
    }
}
