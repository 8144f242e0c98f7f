package dev.tern.protocol.server;

import io.netty.channel.Channel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which connection each group member joined (or last heartbeated) over, so that a member leaves its
 * group as soon as its connection closes rather than after the session timeout. A member that moved to a
 * new connection (a client that reconnected) is not dropped when its old connection closes.
 */
final class MemberRegistry {

    /** One member of one group. */
    record Member(String group, String memberId) {
    }

    private final Map<Member, Channel> owners = new ConcurrentHashMap<>();

    /** Ties a member to a connection; returns false when that connection is already closed. */
    boolean bind(Member member, Channel channel) {
        owners.put(member, channel);
        if (!channel.isActive()) {
            owners.remove(member, channel);
            return false;
        }
        return true;
    }

    void unbind(Member member) {
        owners.remove(member);
    }

    /** Removes and returns the members tied to a connection that closed. */
    List<Member> release(Channel channel) {
        List<Member> released = new ArrayList<>();
        for (Map.Entry<Member, Channel> e : owners.entrySet()) {
            if (e.getValue() == channel && owners.remove(e.getKey(), channel)) released.add(e.getKey());
        }
        return released;
    }
}
