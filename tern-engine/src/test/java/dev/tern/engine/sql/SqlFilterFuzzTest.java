package dev.tern.engine.sql;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Seeded random filters made of SQL fragments and stray characters: each either parses (and then evaluates
 * without throwing) or is refused with INVALID_ARGUMENT naming a position inside the text, never any other
 * exception.
 */
class SqlFilterFuzzTest {
    private static final String[] PIECES = {"a", "b.c", "\"x y\"", "1", "-2.5", "1e3", "'s'", "'it''s'", "'", "\"", "=", "<>", "!=", "<", "<=",
            ">", ">=", "!", "AND", "OR", "NOT", "IN", "BETWEEN", "LIKE", "ESCAPE", "IS", "NULL", "TRUE", "FALSE", "(", ")", ",", "'%_'",
            "-", "+", ".", "#", "1.2.3", " ", "é"};

    @Test
    void randomFiltersParseOrFailCleanly() {
        SplittableRandom random = new SplittableRandom(4242);
        Map<String, String> props = Map.of("a", "1", "b.c", "x", "x y", "true");
        int parsed = 0;
        for (int i = 0; i < 20_000; i++) {
            StringBuilder text = new StringBuilder();
            int n = 1 + random.nextInt(8);
            for (int j = 0; j < n; j++) text.append(PIECES[random.nextInt(PIECES.length)]).append(random.nextBoolean() ? " " : "");
            String sql = text.toString();
            try {
                SqlFilter.parse(sql).matches(props);
                parsed++;
            } catch (TernException e) {
                assertThat(e.code()).as(sql).isEqualTo(ErrorCode.INVALID_ARGUMENT);
                int at = Integer.parseInt(e.getMessage().replaceAll(".* at position (\\d+)$", "$1"));
                assertThat(at).as(sql).isBetween(0, sql.length());
            } catch (RuntimeException e) {
                fail("'" + sql + "' threw " + e, e);
            }
        }
        assertThat(parsed).as("some random filters are valid").isGreaterThan(100);
    }
}
