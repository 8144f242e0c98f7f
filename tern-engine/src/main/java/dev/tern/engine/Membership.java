package dev.tern.engine;

import java.util.List;

/** A member's view of its group: its id, the group's generation, and the queues it owns now. */
public record Membership(String group, String memberId, long generation, List<TopicQueue> assigned) {
}
