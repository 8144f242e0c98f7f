package dev.tern.engine.sql;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Filters over a limit are refused with INVALID_ARGUMENT naming the limit and its key, never a StackOverflowError. */
class SqlLimitsTest {
    private static final SqlLimits ROOMY = new SqlLimits(10_000_000, 64, 1000);

    private static void refused(String sql, SqlLimits limits, String... words) {
        assertThatThrownBy(() -> SqlFilter.parse(sql, limits))
                .isInstanceOfSatisfying(TernException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContainingAll(words);
    }

    @Test
    void parenthesesNestedAHundredThousandDeepAreRefusedByDepth() {
        String sql = "(".repeat(100_000) + "a = 1" + ")".repeat(100_000);
        refused(sql, ROOMY, "nesting deeper than 64 levels", "filter.sql.max.depth", "at position 64");
    }

    @Test
    void notsNestedAHundredThousandDeepAreRefusedByDepth() {
        refused("NOT ".repeat(100_000) + "a = 1", ROOMY, "nesting deeper than 64 levels", "filter.sql.max.depth");
    }

    @Test
    void withTheDefaultsAHundredThousandLevelsAreRefusedByLength() {
        String sql = "(".repeat(100_000) + "a = 1" + ")".repeat(100_000);
        refused(sql, SqlLimits.DEFAULTS, "filter of 200005 characters is over the limit of 8192", "filter.max.length");
    }

    @Test
    void nestingUpToTheLimitParsesAndEvaluates() {
        String sql = "(".repeat(63) + "NOT a = 2" + ")".repeat(63);
        assertThat(SqlFilter.parse(sql, ROOMY).matches(Map.of("a", "1"))).isTrue();
        refused("(" + sql + ")", ROOMY, "filter.sql.max.depth");
    }

    @Test
    void aLongRunOfAndsAndOrsIsOneLevelAndEvaluatesWithoutDeepRecursion() {
        String ands = "a = 1" + " AND a = 1".repeat(200_000);
        assertThat(SqlFilter.parse(ands, ROOMY).matches(Map.of("a", "1"))).isTrue();
        assertThat(SqlFilter.parse(ands, ROOMY).matches(Map.of("a", "2"))).isFalse();
        String ors = "a = 0" + " OR a = 0".repeat(200_000) + " OR a = 1";
        assertThat(SqlFilter.parse(ors, ROOMY).matches(Map.of("a", "1"))).isTrue();
        assertThat(SqlFilter.parse(ors, ROOMY).matches(Map.of())).isFalse();
    }

    @Test
    void anInListOverTheLimitIsRefused() {
        StringBuilder in = new StringBuilder("a IN (0");
        for (int i = 1; i < 1000; i++) in.append(", ").append(i);
        String thousand = in + ")";
        assertThat(SqlFilter.parse(thousand, ROOMY).matches(Map.of("a", "999"))).isTrue();
        refused(in + ", 1000)", ROOMY, "an IN list of more than 1000 values", "filter.sql.max.in.values");
    }

    @Test
    void theLengthLimitCountsTheWholeCondition() {
        SqlLimits small = new SqlLimits(16, 64, 1000);
        assertThat(SqlFilter.parse("a = 'xxxxxxxxxx'", small).matches(Map.of("a", "xxxxxxxxxx"))).isTrue();
        refused("a = 'xxxxxxxxxxx'", small, "filter of 17 characters is over the limit of 16", "filter.max.length");
    }

    @Test
    void limitsBelowTheirMinimumAreRefused() {
        assertThatThrownBy(() -> new SqlLimits(8192, 0, 1000).validate()).hasMessageContaining("filter.sql.max.depth");
        assertThatThrownBy(() -> new SqlLimits(8192, 64, 0).validate()).hasMessageContaining("filter.sql.max.in.values");
        assertThatThrownBy(() -> new SqlLimits(8, 64, 10).validate()).hasMessageContaining("filter.max.length");
    }
}
