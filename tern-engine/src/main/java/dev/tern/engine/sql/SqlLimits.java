package dev.tern.engine.sql;

import dev.tern.common.error.TernException;

/**
 * What a filter may ask of the engine, so that no subscriber can make it spend unbounded stack, memory or
 * time per message: the length of the whole filter expression, the nesting of a SQL condition (parentheses
 * and {@code NOT}s, each a level) and the values of one {@code IN} list. A filter over a limit is refused
 * with INVALID_ARGUMENT naming the limit and its configuration key.
 *
 * @param maxLength   characters of a filter expression, tags and condition together ({@code filter.max.length}, default 8192)
 * @param maxDepth    nesting levels of a SQL condition ({@code filter.sql.max.depth}, default 64)
 * @param maxInValues values in one {@code IN (...)} list ({@code filter.sql.max.in.values}, default 1000, as Oracle's)
 */
public record SqlLimits(int maxLength, int maxDepth, int maxInValues) {
    public static final SqlLimits DEFAULTS = new SqlLimits(8192, 64, 1000);

    public SqlLimits validate() {
        if (maxLength < 16) throw TernException.invalid("filter.max.length must be at least 16, got " + maxLength);
        if (maxDepth < 1) throw TernException.invalid("filter.sql.max.depth must be at least 1, got " + maxDepth);
        if (maxInValues < 1) throw TernException.invalid("filter.sql.max.in.values must be at least 1, got " + maxInValues);
        return this;
    }

    /** Fails when {@code expression} is longer than {@link #maxLength}. */
    public void checkLength(String expression) {
        if (expression.length() > maxLength) {
            throw TernException.invalid("filter of " + expression.length() + " characters is over the limit of " + maxLength
                    + " (filter.max.length)");
        }
    }
}
