package dev.tern.engine;

import java.util.Set;

/**
 * A member joining a group.
 *
 * @param memberId null to have one assigned; a previous id to re-join after a lost session
 * @param clientId a free-form name of the client, shown by {@code tern group describe}
 */
public record JoinRequest(String group, String memberId, String clientId, Set<String> topics, ConsumeMode mode, StartPosition start) {
}
