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

    /** Whether {@code filter} matches {@code name} (used for retained messages and the catch-up of sessions behind). */
    static boolean matches(String filter, String name) {
        if (name.startsWith("$") && (filter.startsWith("+") || filter.startsWith("#"))) return false;
        String[] f = filter.split("/", -1);
        String[] n = name.split("/", -1);
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) return true;
            if (i >= n.length) return false;
            if (!f[i].equals("+") && !f[i].equals(n[i])) return false;
        }
        return f.length == n.length;
    }

    /** Whether the first level of a filter is a wildcard: it then reads every Tern topic. */
    static boolean rootWildcard(String filter) {
        return filter.startsWith("+") || filter.startsWith("#");
    }
}
