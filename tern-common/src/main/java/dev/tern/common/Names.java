package dev.tern.common;

import dev.tern.common.error.TernException;

/** Validation of names that end up in file names, keys and wire frames: topics and consumer groups. */
public final class Names {
    /** The longest name, in characters (all of them ASCII, so also in bytes). */
    public static final int MAX_LENGTH = 127;

    private Names() {
    }

    public static String checkTopic(String topic) {
        return check("topic", topic);
    }

    public static String checkGroup(String group) {
        return check("group", group);
    }

    private static String check(String what, String name) {
        if (name == null || name.isEmpty()) {
            throw TernException.invalid(what + " name is empty");
        }
        if (name.length() > MAX_LENGTH || !allowedChars(name)) {
            throw TernException.invalid("invalid " + what + " name '" + printable(name)
                    + "': use 1 to " + MAX_LENGTH + " letters, digits, '.', '_', '-' or '%'");
        }
        if (name.charAt(0) == '.' && name.chars().allMatch(c -> c == '.')) {
            // "." and ".." name directories in a path, and any run of dots is just as confusing
            throw TernException.invalid("invalid " + what + " name '" + name + "': a name cannot be made only of dots");
        }
        return name;
    }

    /**
     * Letters, digits and {@code . _ - %} ({@code %} is kept for system topics such as retry and dead-letter
     * topics). A loop rather than a regular expression: every send checks its topic name.
     */
    private static boolean allowedChars(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-' || c == '%';
            if (!ok) return false;
        }
        return true;
    }

    private static String printable(String s) {
        String cut = s.length() > 64 ? s.substring(0, 64) + "..." : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
