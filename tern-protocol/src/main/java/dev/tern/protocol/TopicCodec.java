package dev.tern.protocol;

import dev.tern.engine.TopicDescription;
import dev.tern.store.api.QueueRange;
import dev.tern.store.api.TopicInfo;
import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Bodies of the topic frames: TOPIC_CREATE, TOPIC_DELETE, TOPIC_LIST, TOPIC_DESCRIBE and their responses.
 * A topic description is {@code string name | int topicId | int queues | long createdAt | string map
 * config | int range count, (long minOffset, long nextOffset)...}.
 */
public final class TopicCodec {

    private TopicCodec() {
    }

    public static void writeCreate(ByteBuf buf, Request.CreateTopic r) {
        Wire.writeString(buf, r.name());
        buf.writeInt(r.queues());
        Wire.writeStringMap(buf, r.config());
    }

    public static Request.CreateTopic readCreate(ByteBuf buf) {
        String name = Wire.readString(buf, "topic");
        int queues = Wire.readInt(buf, "queues");
        return new Request.CreateTopic(name, queues, Wire.readStringMap(buf, "config"));
    }

    public static void writeDescription(ByteBuf buf, TopicDescription d) {
        TopicInfo info = d.info();
        Wire.writeString(buf, info.name());
        buf.writeInt(info.topicId()).writeInt(info.queues()).writeLong(info.createdAt());
        Wire.writeStringMap(buf, info.config());
        buf.writeInt(d.queues().size());
        for (QueueRange r : d.queues()) buf.writeLong(r.minOffset()).writeLong(r.nextOffset());
    }

    public static TopicDescription readDescription(ByteBuf buf) {
        String name = Wire.readString(buf, "topic");
        int topicId = Wire.readInt(buf, "topicId");
        int queues = Wire.readInt(buf, "queues");
        long createdAt = Wire.readLong(buf, "createdAt");
        var config = Wire.readStringMap(buf, "config");
        int n = Wire.readCount(buf, "queue ranges", 16);
        List<QueueRange> ranges = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long min = Wire.readLong(buf, "minOffset");
            ranges.add(new QueueRange(min, Wire.readLong(buf, "nextOffset")));
        }
        return new TopicDescription(new TopicInfo(name, topicId, queues, config, createdAt), ranges);
    }

    public static void writeList(ByteBuf buf, List<TopicDescription> topics) {
        buf.writeInt(topics.size());
        for (TopicDescription d : topics) writeDescription(buf, d);
    }

    public static List<TopicDescription> readList(ByteBuf buf) {
        int n = Wire.readCount(buf, "topics", 2 + 4 + 4 + 8 + 2 + 4);
        List<TopicDescription> topics = new ArrayList<>(n);
        for (int i = 0; i < n; i++) topics.add(readDescription(buf));
        return topics;
    }

    public static void writeOptional(ByteBuf buf, Optional<TopicDescription> topic) {
        buf.writeByte(topic.isPresent() ? 1 : 0);
        topic.ifPresent(d -> writeDescription(buf, d));
    }

    public static Optional<TopicDescription> readOptional(ByteBuf buf) {
        return Wire.readBoolean(buf, "found") ? Optional.of(readDescription(buf)) : Optional.empty();
    }
}
