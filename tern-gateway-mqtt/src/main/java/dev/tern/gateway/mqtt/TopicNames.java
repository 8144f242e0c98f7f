package dev.tern.gateway.mqtt;

/** Validation of MQTT topic names and filters (spec 4.7), and filter matching for a single name. */
final class TopicNames {
    private TopicNames() {
    }

    /** A PUBLISH topic: non-empty, no wildcards, no U+0000, no replacement character (invalid UTF-8 on the wire). */
    static boolean validName(String name) {
        if (name == null || name.isEmpty() || !validUtf8String(name)) return false;
        return name.indexOf('+') < 0 && name.indexOf('#') < 0;
    }

    /** A filter: '#' only as the whole last level, '+' only as a whole level. */
    static boolean validFilter(String filter) {
        if (filter == null || filter.isEmpty() || !validUtf8String(filter)) return false;
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String l = levels[i];
            if (l.contains("#") && (!l.equals("#") || i != levels.length - 1)) return false;
            if (l.contains("+") && !l.equals("+")) return false;
        }
        return true;
    }

    /**
     * Netty decodes strings leniently, turning malformed UTF-8 into U+FFFD; the spec forbids malformed
     * UTF-8 and U+0000 [MQTT-1.5.4-1, -2], so a replacement character is taken as the sign of bad input.
     */
    static boolean validUtf8String(String s) {
        return s.indexOf('\u0000') < 0 && s.indexOf('\uFFFD') < 0;
    }

    /**
     * Whether {@code filter} matches {@code name} (used for retained messages and the catch-up of sessions
     * behind, once per message and subscription): level by level in place, without splitting either.
     */
    static boolean matches(String filter, String name) {
        if (name.startsWith("$") && (filter.startsWith("+") || filter.startsWith("#"))) return false;
        int fl = filter.length(), nl = name.length();
        for (int fi = 0, ni = 0; ; ) {
            int fe = filter.indexOf('/', fi);
            if (fe < 0) fe = fl;
            int ne = name.indexOf('/', ni);
            if (ne < 0) ne = nl;
            int len = fe - fi;
            boolean wildcard = len == 1 && filter.charAt(fi) == '+';
            if (len == 1 && filter.charAt(fi) == '#') return true; // also the parent level: "a/#" matches "a"
            if (!wildcard && !(len == ne - ni && filter.regionMatches(fi, name, ni, len))) return false;
            boolean filterEnds = fe == fl, nameEnds = ne == nl;
            if (filterEnds || nameEnds) {
                // the name may end one level before a final "#"
                return filterEnds ? nameEnds : fl - fe == 2 && filter.charAt(fe + 1) == '#';
            }
            fi = fe + 1;
            ni = ne + 1;
        }
    }

    /** Whether the first level of a filter is a wildcard: it then reads every Tern topic. */
    static boolean rootWildcard(String filter) {
        return filter.startsWith("+") || filter.startsWith("#");
    }
}
