package dev.tern.engine.sql;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;

/** A SQL filter that does not parse: INVALID_ARGUMENT, naming the expression, the problem and its position. */
final class SqlFilterException {

    private SqlFilterException() {
    }

    static TernException at(String expression, int position, String problem) {
        return new TernException(ErrorCode.INVALID_ARGUMENT,
                "bad SQL filter '" + expression + "': " + problem + " at position " + position);
    }
}
