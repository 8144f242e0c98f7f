package dev.tern.protocol;

import dev.tern.engine.ConsumeMode;
import dev.tern.engine.GroupDescription;
import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.List;

/**
 * A group description in a GROUP_DESCRIBE response: {@code string group | byte mode | long generation |
 * int member count | (string memberId, string clientId, long lastHeartbeat, int count,
 * (string topic, int queue)...)... | int queue count | (string topic, int queue, string owner (empty: none),
 * long committed, long end, long lag)...}.
 */
final class GroupDescriptionCodec {

    private GroupDescriptionCodec() {
    }

    static void write(ByteBuf buf, GroupDescription d) {
        Wire.writeString(buf, d.group());
        buf.writeByte(GroupCodec.modeCode(d.mode()));
        buf.writeLong(d.generation());
        buf.writeInt(d.members().size());
        for (GroupDescription.Member m : d.members()) {
            Wire.writeString(buf, m.memberId());
            Wire.writeOptString(buf, m.clientId());
            buf.writeLong(m.lastHeartbeat());
            GroupCodec.writeQueues(buf, m.assigned());
        }
        buf.writeInt(d.queues().size());
        for (GroupDescription.QueueLag q : d.queues()) {
            Wire.writeString(buf, q.topic());
            buf.writeInt(q.queue());
            Wire.writeOptString(buf, q.owner());
            buf.writeLong(q.committed()).writeLong(q.end()).writeLong(q.lag());
        }
    }

    static GroupDescription read(ByteBuf buf) {
        String group = Wire.readString(buf, "group");
        ConsumeMode mode = GroupCodec.readMode(buf);
        long generation = Wire.readLong(buf, "generation");
        int n = Wire.readCount(buf, "members", 2 + 2 + 8 + 4);
        List<GroupDescription.Member> members = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String memberId = Wire.readString(buf, "memberId");
            String clientId = Wire.readOptString(buf, "clientId");
            long lastHeartbeat = Wire.readLong(buf, "lastHeartbeat");
            members.add(new GroupDescription.Member(memberId, clientId, GroupCodec.readQueues(buf), lastHeartbeat));
        }
        int q = Wire.readCount(buf, "queue lags", 2 + 4 + 2 + 24);
        List<GroupDescription.QueueLag> queues = new ArrayList<>(q);
        for (int i = 0; i < q; i++) {
            String topic = Wire.readString(buf, "topic");
            int queue = Wire.readInt(buf, "queue");
            String owner = Wire.readOptString(buf, "owner");
            long committed = Wire.readLong(buf, "committed");
            long end = Wire.readLong(buf, "end");
            queues.add(new GroupDescription.QueueLag(topic, queue, owner, committed, end, Wire.readLong(buf, "lag")));
        }
        return new GroupDescription(group, mode, generation, members, queues);
    }
}
