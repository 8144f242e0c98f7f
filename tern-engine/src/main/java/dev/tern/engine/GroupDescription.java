package dev.tern.engine;

import java.util.List;

/** A group as {@code tern group describe} shows it. */
public record GroupDescription(String group, ConsumeMode mode, long generation, List<Member> members, List<QueueLag> queues) {

    /** A live member and the queues it owns. */
    public record Member(String memberId, String clientId, List<TopicQueue> assigned, long lastHeartbeat) {
    }

    /**
     * A queue of a subscribed topic: committed offset (-1 if none), the queue's end, and the lag (messages
     * not yet consumed by the group: end minus committed, or the whole queue when nothing is committed).
     */
    public record QueueLag(String topic, int queue, String owner, long committed, long end, long lag) {
    }

    public long totalLag() {
        return queues.stream().mapToLong(QueueLag::lag).sum();
    }
}
