package dev.tern.common;

import dev.tern.common.error.TernException;

import java.util.regex.Pattern;

/** Validation of names that end up in file names, keys and wire frames: topics and consumer groups. */
public final class Names {
    /** The longest name, in characters (all of them ASCII, so also in bytes). */
    public static final int MAX_LENGTH = 127;
    /** Letters, digits and {@code . _ - %}; {@code %} is kept for system topics such as retry and dead-letter topics. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._%\\-]{1," + MAX_LENGTH + "}");
    /** "." and ".." name directories in a path, and any run of dots is just as confusing: never a name. */
    private static final Pattern ONLY_DOTS = Pattern.compile("\\.+");

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
        if (!NAME.matcher(name).matches()) {
            throw TernException.invalid("invalid " + what + " name '" + printable(name)
                    + "': use 1 to " + MAX_LENGTH + " letters, digits, '.', '_', '-' or '%'");
        }
        if (ONLY_DOTS.matcher(name).matches()) {
            throw TernException.invalid("invalid " + what + " name '" + name + "': a name cannot be made only of dots");
        }
        return name;
    }

    private static String printable(String s) {
        String cut = s.length() > 64 ? s.substring(0, 64) + "..." : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
