package dev.tern.server.bench;

import dev.tern.common.error.TernException;

import java.time.Duration;

/** Parses "30s", "500ms", "2m" and plain seconds. */
final class Durations {
    private Durations() {
    }

    static Duration parse(String s) {
        try {
            if (s.endsWith("ms")) return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
            if (s.endsWith("s")) return Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)));
            if (s.endsWith("m")) return Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1)));
            return Duration.ofSeconds(Long.parseLong(s));
        } catch (NumberFormatException e) {
            throw TernException.invalid("a duration is like 30s, 500ms or 2m, not '" + s + "'");
        }
    }
}
