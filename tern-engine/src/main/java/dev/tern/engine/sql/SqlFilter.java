package dev.tern.engine.sql;

import dev.tern.engine.sql.SqlNode.Condition;

import java.util.Map;
import java.util.function.Function;

/**
 * A SQL-92 condition over message properties, as a consumer subscribes with it: comparisons
 * ({@code = <> != < <= > >=}), {@code AND}/{@code OR}/{@code NOT}, {@code IN}, {@code BETWEEN},
 * {@code LIKE} (with {@code %}, {@code _} and {@code ESCAPE}), {@code IS [NOT] NULL}, number and string
 * literals, {@code TRUE}/{@code FALSE}. Properties are named as they are (letters, digits, {@code _},
 * {@code $}, {@code .}) or in double quotes; keywords are case-insensitive. A property and a literal compare
 * as numbers when both are numeric, else as strings; a missing property makes its comparison unknown, and
 * a message matches only when the whole condition is true. Immutable and thread-safe.
 */
public final class SqlFilter {
    private final String text;
    private final Condition condition;

    private SqlFilter(String text, Condition condition) {
        this.text = text;
        this.condition = condition;
    }

    /**
     * Parses a condition within the default {@link SqlLimits}.
     *
     * @throws dev.tern.common.error.TernException INVALID_ARGUMENT naming the problem and its 0-based position
     */
    public static SqlFilter parse(String text) {
        return parse(text, SqlLimits.DEFAULTS);
    }

    /**
     * Parses a condition within {@code limits}: its length, nesting and {@code IN} lists.
     *
     * @throws dev.tern.common.error.TernException INVALID_ARGUMENT naming the problem and its 0-based position,
     *         or the limit that the condition is over and its configuration key
     */
    public static SqlFilter parse(String text, SqlLimits limits) {
        if (text == null) throw SqlFilterException.at("", 0, "no condition");
        limits.checkLength(text);
        return new SqlFilter(text, SqlParser.parse(text, limits));
    }

    /** Whether a message with these properties matches (the condition is TRUE, not FALSE or unknown). */
    public boolean matches(Function<String, String> properties) {
        return Boolean.TRUE.equals(condition.test(properties));
    }

    public boolean matches(Map<String, String> properties) {
        return matches(properties::get);
    }

    @Override
    public String toString() {
        return text;
    }
}
