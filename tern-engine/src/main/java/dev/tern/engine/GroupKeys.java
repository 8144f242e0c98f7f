package dev.tern.engine;

import dev.tern.common.Names;
import dev.tern.common.error.TernException;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Names under which group offsets are stored. A CLUSTERING group commits under its own name. A BROADCAST
 * member's offsets are its own, stored under {@code <group>%%<memberId>} (a valid group name, so the
 * store needs no notion of members); that is why user group names may not contain {@code %%} and
 * member ids may not contain {@code %}. A broadcast consumer that wants to resume after a restart
 * re-joins with the same member id.
 */
final class GroupKeys {
    static final String MEMBER_SEPARATOR = "%%";
    /** Letters, digits, '.', '_' and '-': what a member id may hold (no '%', so a broadcast key splits one way). */
    private static final Pattern MEMBER_ID = Pattern.compile("[A-Za-z0-9._\\-]{1,64}");

    private GroupKeys() {
    }

    /** Checks a group name given by a user. */
    static String checkGroup(String group) {
        Names.checkGroup(group);
        if (group.contains(MEMBER_SEPARATOR)) {
            throw TernException.invalid("invalid group name '" + group + "': '" + MEMBER_SEPARATOR + "' is reserved for broadcast offsets");
        }
        return group;
    }

    static String checkMemberId(String memberId) {
        if (memberId == null || !MEMBER_ID.matcher(memberId).matches() || memberId.chars().allMatch(c -> c == '.')) {
            throw TernException.invalid("invalid member id '" + memberId + "': use 1 to 64 letters, digits, '.', '_' or '-'");
        }
        return memberId;
    }

    /** The offsets key of a broadcast member. */
    static String member(String group, String memberId) {
        String key = group + MEMBER_SEPARATOR + memberId;
        if (key.length() > Names.MAX_LENGTH) {
            throw TernException.invalid("group '" + group + "' with member id '" + memberId + "' is too long for broadcast offsets: "
                    + "name and id together may have at most " + (Names.MAX_LENGTH - MEMBER_SEPARATOR.length()) + " characters");
        }
        return key;
    }

    /** The longest member id a broadcast member of {@code group} may have. */
    static int maxMemberIdLength(String group) {
        return Math.min(64, Names.MAX_LENGTH - MEMBER_SEPARATOR.length() - group.length());
    }

    /** A stored group name split into (group, memberId) when it is a broadcast member's key. */
    static Optional<String[]> splitMember(String stored) {
        int at = stored.indexOf(MEMBER_SEPARATOR);
        if (at <= 0 || at + MEMBER_SEPARATOR.length() >= stored.length()) return Optional.empty();
        return Optional.of(new String[]{stored.substring(0, at), stored.substring(at + MEMBER_SEPARATOR.length())});
    }

    /** The group a stored offsets name belongs to. */
    static String groupOf(String stored) {
        return splitMember(stored).map(parts -> parts[0]).orElse(stored);
    }
}
