package dev.tern.protocol;

import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.List;

/**
 * Bodies of OFFSET_COMMIT ({@code string group | string memberId (empty: none) | int count |
 * (string topic, int queue, long offset)...}) and OFFSET_FETCH ({@code string group | string memberId
 * (empty: none) | string topic | int queue}, answered by {@code long offset}).
 */
public final class OffsetCodec {

    private OffsetCodec() {
    }

    public static void writeCommit(ByteBuf buf, Request.CommitOffsets r) {
        Wire.writeString(buf, r.group());
        Wire.writeOptString(buf, r.memberId());
        buf.writeInt(r.offsets().size());
        for (Request.QueueOffset o : r.offsets()) {
            Wire.writeString(buf, o.topic());
            buf.writeInt(o.queue()).writeLong(o.offset());
        }
    }

    public static Request.CommitOffsets readCommit(ByteBuf buf) {
        String group = Wire.readString(buf, "group");
        String memberId = Wire.readOptString(buf, "memberId");
        int n = Wire.readCount(buf, "offsets", 2 + 4 + 8);
        List<Request.QueueOffset> offsets = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String topic = Wire.readString(buf, "topic");
            int queue = Wire.readInt(buf, "queue");
            offsets.add(new Request.QueueOffset(topic, queue, Wire.readLong(buf, "offset")));
        }
        return new Request.CommitOffsets(group, memberId, offsets);
    }

    public static void writeFetch(ByteBuf buf, Request.FetchOffset r) {
        Wire.writeString(buf, r.group());
        Wire.writeOptString(buf, r.memberId());
        Wire.writeString(buf, r.topic());
        buf.writeInt(r.queue());
    }

    public static Request.FetchOffset readFetch(ByteBuf buf) {
        String group = Wire.readString(buf, "group");
        String memberId = Wire.readOptString(buf, "memberId");
        String topic = Wire.readString(buf, "topic");
        return new Request.FetchOffset(group, memberId, topic, Wire.readInt(buf, "queue"));
    }
}
