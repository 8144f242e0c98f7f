package dev.tern.server.cli;

import dev.tern.common.error.TernException;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations and points in time as the command line takes them ({@code 30s}, {@code 2026-11-25T10:00:00Z}). */
final class Times {
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private Times() {
    }

    /** {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 40d}, or ISO-8601 ({@code PT1M30S}). */
    static Duration duration(String option, String text) {
        Matcher m = DURATION.matcher(text.trim());
        try {
            if (!m.matches()) return Duration.parse(text.trim());
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            throw TernException.invalid(option + " must be a duration like 500ms, 30s, 5m, 2h, 3d or PT1M30S, not '" + text + "'");
        }
    }

    /** An ISO-8601 instant ({@code 2026-11-25T10:00:00Z}) or one with an offset ({@code 2026-11-25T11:00:00+01:00}). */
    static Instant instant(String option, String text) {
        try {
            return Instant.parse(text.trim());
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(text.trim()).toInstant();
            } catch (DateTimeParseException again) {
                throw TernException.invalid(option + " must be an ISO time like 2026-11-25T10:00:00Z, not '" + text + "'");
            }
        }
    }
}
