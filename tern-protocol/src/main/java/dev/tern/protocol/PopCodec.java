package dev.tern.protocol;

import dev.tern.common.message.StoredMessage;
import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.List;

/**
 * Bodies of POP and its response. Request: {@code string group | string topic | int queue | int max |
 * int invisibleMs [| byte flags [| int maxWaitMs]]} (flags bit 0: FIFO groups; bit 1: a maxWaitMs follows).
 * The flags byte is absent in frames of older clients and written only when not 0, so servers that predate
 * it still read plain pops; a server that predates a flag refuses it as malformed instead of ignoring it.
 * Response: {@code int count | string receipt × count | int count | record × count} (records as in
 * lookups, {@link StoredRecordCodec}). ACK and NACK carry one {@code string receipt} and are answered with
 * an empty body.
 */
public final class PopCodec {
    static final int FLAG_FIFO = 1, FLAG_WAIT = 2;

    private PopCodec() {
    }

    public static void writePop(ByteBuf buf, Request.Pop r) {
        Wire.writeString(buf, r.group());
        Wire.writeString(buf, r.topic());
        buf.writeInt(r.queue()).writeInt(r.max()).writeInt(r.invisibleMs());
        int flags = (r.fifo() ? FLAG_FIFO : 0) | (r.maxWaitMs() != 0 ? FLAG_WAIT : 0);
        if (flags != 0) buf.writeByte(flags);
        if (r.maxWaitMs() != 0) buf.writeInt(r.maxWaitMs());
    }

    public static Request.Pop readPop(ByteBuf buf) {
        String group = Wire.readString(buf, "group");
        String topic = Wire.readString(buf, "topic");
        int queue = Wire.readInt(buf, "queue");
        int max = Wire.readInt(buf, "max");
        int invisibleMs = Wire.readInt(buf, "invisibleMs");
        int flags = buf.isReadable() ? buf.readByte() : 0;
        if ((flags & ~(FLAG_FIFO | FLAG_WAIT)) != 0) throw FrameException.malformed("unknown POP flags " + flags);
        int maxWaitMs = (flags & FLAG_WAIT) != 0 ? Wire.readInt(buf, "maxWaitMs") : 0;
        return new Request.Pop(group, topic, queue, max, invisibleMs, (flags & FLAG_FIFO) != 0, maxWaitMs);
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
