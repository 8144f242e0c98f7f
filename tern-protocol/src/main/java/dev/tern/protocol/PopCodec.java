package dev.tern.protocol;

import dev.tern.common.message.StoredMessage;
import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.List;

/**
 * Bodies of POP and its response. Request: {@code string group | string topic | int queue | int max |
 * int invisibleMs [| byte flags]} (flags bit 0: FIFO groups; absent in frames of older clients, written only
 * when set so older servers still read plain pops). Response: {@code int count | string receipt × count | int count | record × count}
 * (records as in lookups, {@link StoredRecordCodec}). ACK and NACK carry one {@code string receipt} and are
 * answered with an empty body.
 */
public final class PopCodec {
    static final int FLAG_FIFO = 1;

    private PopCodec() {
    }

    public static void writePop(ByteBuf buf, Request.Pop r) {
        Wire.writeString(buf, r.group());
        Wire.writeString(buf, r.topic());
        buf.writeInt(r.queue()).writeInt(r.max()).writeInt(r.invisibleMs());
        if (r.fifo()) buf.writeByte(FLAG_FIFO);
    }

    public static Request.Pop readPop(ByteBuf buf) {
        String group = Wire.readString(buf, "group");
        String topic = Wire.readString(buf, "topic");
        int queue = Wire.readInt(buf, "queue");
        int max = Wire.readInt(buf, "max");
        int invisibleMs = Wire.readInt(buf, "invisibleMs");
        int flags = buf.isReadable() ? buf.readByte() : 0;
        if ((flags & ~FLAG_FIFO) != 0) throw FrameException.malformed("unknown POP flags " + flags);
        return new Request.Pop(group, topic, queue, max, invisibleMs, (flags & FLAG_FIFO) != 0);
    }

    public static void writePopped(ByteBuf buf, Response.PoppedMessages r) {
        buf.writeInt(r.receipts().size());
        for (String receipt : r.receipts()) Wire.writeString(buf, receipt);
        StoredRecordCodec.writeMessages(buf, r.messages());
    }

    public static Response.PoppedMessages readPopped(ByteBuf buf) {
        int n = Wire.readCount(buf, "receipts", 2);
        List<String> receipts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) receipts.add(Wire.readString(buf, "receipt"));
        List<StoredMessage> messages = StoredRecordCodec.readMessages(buf);
        if (messages.size() != n) throw FrameException.malformed(n + " receipts for " + messages.size() + " records");
        return new Response.PoppedMessages(receipts, messages);
    }
}
