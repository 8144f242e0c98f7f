package dev.tern.engine;

import java.util.List;
import java.util.Set;

/** A live member of a group. Mutable fields change only under its {@link Group}'s lock. */
final class Member {
    final String id;
    String clientId;
    Set<String> topics;
    StartPosition start;
    long lastHeartbeat;
    List<TopicQueue> assigned = List.of();

    Member(String id, String clientId, Set<String> topics, StartPosition start, long now) {
        this.id = id;
        this.clientId = clientId;
        this.topics = topics;
        this.start = start;
        this.lastHeartbeat = now;
    }

    boolean expired(long now, long sessionTimeoutMs) {
        return now - lastHeartbeat > sessionTimeoutMs;
    }
}
