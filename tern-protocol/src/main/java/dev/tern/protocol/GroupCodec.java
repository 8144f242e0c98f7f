package dev.tern.protocol;

import dev.tern.common.error.TernException;
import dev.tern.engine.ConsumeMode;
import dev.tern.engine.GroupDescription;
import dev.tern.engine.Membership;
import dev.tern.engine.StartPosition;
import dev.tern.engine.TopicQueue;
import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Bodies of the group frames: GROUP_JOIN, GROUP_HEARTBEAT, GROUP_LEAVE, GROUP_LIST, GROUP_DESCRIBE and
 * their responses. A membership is {@code string group | string memberId | long generation | int count |
 * (string topic, int queue)...}.
 */
public final class GroupCodec {
    private static final int START_EARLIEST = 0, START_LATEST = 1, START_AT_TIME = 2;

    private GroupCodec() {
    }

    public static void writeJoin(ByteBuf buf, Request.JoinGroup r) {
        Wire.writeString(buf, r.group());
        Wire.writeOptString(buf, r.memberId());
        Wire.writeOptString(buf, r.clientId());
        if (r.topics().size() > 0xFFFF) throw TernException.invalid("too many topics");
        buf.writeShort(r.topics().size());
        for (String t : r.topics()) Wire.writeString(buf, t);
        buf.writeByte(modeCode(r.mode()));
        switch (r.start()) {
            case StartPosition.Earliest e -> buf.writeByte(START_EARLIEST).writeLong(0);
            case StartPosition.Latest l -> buf.writeByte(START_LATEST).writeLong(0);
            case StartPosition.AtTime t -> buf.writeByte(START_AT_TIME).writeLong(t.timestamp());
        }
    }

    public static Request.JoinGroup readJoin(ByteBuf buf) {
        String group = Wire.readString(buf, "group");
        String memberId = Wire.readOptString(buf, "memberId");
        String clientId = Wire.readOptString(buf, "clientId");
        int n = Wire.readU16Count(buf, "topics", 2);
        List<String> topics = new ArrayList<>(n);
        for (int i = 0; i < n; i++) topics.add(Wire.readString(buf, "topic"));
        ConsumeMode mode = readMode(buf);
        int kind = Wire.readByte(buf, "start");
        long timestamp = Wire.readLong(buf, "start timestamp");
        StartPosition start = switch (kind) {
            case START_EARLIEST -> StartPosition.earliest();
            case START_LATEST -> StartPosition.latest();
            case START_AT_TIME -> StartPosition.at(timestamp);
            default -> throw FrameException.malformed("unknown start position " + kind);
        };
        return new Request.JoinGroup(group, memberId, clientId, topics, mode, start);
    }

    /** The body of GROUP_HEARTBEAT and GROUP_LEAVE: {@code string group | string memberId}. */
    public static void writeMember(ByteBuf buf, String group, String memberId) {
        Wire.writeString(buf, group);
        Wire.writeString(buf, memberId);
    }

    public static Request.Heartbeat readHeartbeat(ByteBuf buf) {
        return new Request.Heartbeat(Wire.readString(buf, "group"), Wire.readString(buf, "memberId"));
    }

    public static Request.LeaveGroup readLeave(ByteBuf buf) {
        return new Request.LeaveGroup(Wire.readString(buf, "group"), Wire.readString(buf, "memberId"));
    }

    public static void writeMembership(ByteBuf buf, Membership m) {
        Wire.writeString(buf, m.group());
        Wire.writeString(buf, m.memberId());
        buf.writeLong(m.generation());
        writeQueues(buf, m.assigned());
    }

    public static Membership readMembership(ByteBuf buf) {
        String group = Wire.readString(buf, "group");
        String memberId = Wire.readString(buf, "memberId");
        long generation = Wire.readLong(buf, "generation");
        return new Membership(group, memberId, generation, readQueues(buf));
    }

    public static void writeNames(ByteBuf buf, List<String> names) {
        buf.writeInt(names.size());
        for (String g : names) Wire.writeString(buf, g);
    }

    public static List<String> readNames(ByteBuf buf) {
        int n = Wire.readCount(buf, "groups", 2);
        List<String> names = new ArrayList<>(n);
        for (int i = 0; i < n; i++) names.add(Wire.readString(buf, "group"));
        return names;
    }

    public static void writeDescription(ByteBuf buf, Optional<GroupDescription> group) {
        buf.writeByte(group.isPresent() ? 1 : 0);
        group.ifPresent(d -> GroupDescriptionCodec.write(buf, d));
    }

    public static Optional<GroupDescription> readDescription(ByteBuf buf) {
        return Wire.readBoolean(buf, "found") ? Optional.of(GroupDescriptionCodec.read(buf)) : Optional.empty();
    }

    static void writeQueues(ByteBuf buf, List<TopicQueue> queues) {
        buf.writeInt(queues.size());
        for (TopicQueue q : queues) {
            Wire.writeString(buf, q.topic());
            buf.writeInt(q.queue());
        }
    }

    static List<TopicQueue> readQueues(ByteBuf buf) {
        int n = Wire.readCount(buf, "queues", 6);
        List<TopicQueue> queues = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String topic = Wire.readString(buf, "topic");
            queues.add(new TopicQueue(topic, Wire.readInt(buf, "queue")));
        }
        return queues;
    }

    static int modeCode(ConsumeMode mode) {
        return mode == ConsumeMode.CLUSTERING ? 0 : 1;
    }

    static ConsumeMode readMode(ByteBuf buf) {
        int m = Wire.readByte(buf, "mode");
        return switch (m) {
            case 0 -> ConsumeMode.CLUSTERING;
            case 1 -> ConsumeMode.BROADCAST;
            default -> throw FrameException.malformed("unknown consume mode " + m);
        };
    }
}
