package dev.tern.server.config;

import dev.tern.common.error.TernException;

import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One configuration key: its name, default, documentation, how to parse it and what values are valid.
 * Every key of a node is declared once, in {@link Keys}; the README's table is checked against them.
 */
public record ConfigKey<T>(String name, String defaultValue, String doc, Function<String, T> parser,
                           Predicate<T> valid, String validDoc) {

    public T parse(String text) {
        T v;
        try {
            v = parser.apply(text.trim());
        } catch (RuntimeException e) {
            throw TernException.invalid(name + ": cannot read '" + text + "': expected " + validDoc);
        }
        if (!valid.test(v)) throw TernException.invalid(name + " must be " + validDoc + ", got '" + text + "'");
        return v;
    }

    /** The environment variable that overrides this key: TERN_ + upper case, dots as underscores. */
    public String envName() {
        return "TERN_" + name.toUpperCase().replace('.', '_');
    }

    static ConfigKey<Integer> port(String name, int def, String doc) {
        return new ConfigKey<>(name, Integer.toString(def), doc, Integer::parseInt, p -> p >= 0 && p <= 65535, "a port 0-65535 (0: any free port)");
    }

    /** A port that may also be -1, which turns its listener off. */
    static ConfigKey<Integer> portOrOff(String name, int def, String doc) {
        return new ConfigKey<>(name, Integer.toString(def), doc, Integer::parseInt, p -> p >= -1 && p <= 65535,
                "a port 0-65535 (0: any free port) or -1 (off)");
    }

    /** A string that may be empty. */
    static ConfigKey<String> optionalString(String name, String def, String doc) {
        return new ConfigKey<>(name, def, doc, s -> s, s -> true, "a string");
    }

    static ConfigKey<Long> longKey(String name, long def, long min, String doc) {
        return new ConfigKey<>(name, Long.toString(def), doc, Long::parseLong, v -> v >= min, "a number >= " + min);
    }

    static ConfigKey<Long> longOrMinusOne(String name, long def, String doc) {
        return new ConfigKey<>(name, Long.toString(def), doc, Long::parseLong, v -> v == -1 || v > 0, "-1 or a positive number");
    }

    static ConfigKey<Integer> intKey(String name, int def, int min, int max, String doc) {
        return new ConfigKey<>(name, Integer.toString(def), doc, Integer::parseInt, v -> v >= min && v <= max, "a number from " + min + " to " + max);
    }

    static ConfigKey<Boolean> bool(String name, boolean def, String doc) {
        return new ConfigKey<>(name, Boolean.toString(def), doc, s -> switch (s.toLowerCase()) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new IllegalArgumentException(s);
        }, v -> true, "true or false");
    }

    static ConfigKey<String> string(String name, String def, String doc) {
        return new ConfigKey<>(name, def, doc, s -> s, s -> !s.isEmpty(), "a non-empty string");
    }
}
