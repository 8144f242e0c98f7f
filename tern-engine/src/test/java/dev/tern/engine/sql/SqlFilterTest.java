package dev.tern.engine.sql;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqlFilterTest {
    static final Map<String, String> PROPS = Map.of("amount", "150", "region", "eu-west", "name", "O'Brien",
            "flag", "true", "price", "9.5", "code", "A7", "region.code", "x1", "empty", "");

    private static boolean eval(String sql) {
        return SqlFilter.parse(sql).matches(PROPS);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "amount = 150 | true", "amount = 150.0 | true", "amount <> 150 | false", "amount != 151 | true",
            "amount > 99 | true", "amount < 1000 | true", "amount >= 150 | true", "amount <= 149 | false",
            // numeric when both sides are numbers: '150' > '99' as numbers though not as strings
            "amount > '99' | true", "price < 10 | true", "price > -1 | true", "amount = 1.5e2 | true",
            "region = 'eu-west' | true", "region <> 'us' | true", "region > 'eu' | true", "code < 'B' | true",
            "name = 'O''Brien' | true", "\"region.code\" = 'x1' | true", "region.code = 'x1' | true",
            "amount > 100 AND region = 'eu-west' | true", "amount > 200 OR region = 'eu-west' | true",
            "amount > 200 OR region = 'us' | false", "NOT amount > 200 | true", "NOT (amount > 100 AND region = 'us') | true",
            "a = 1 OR b = 2 OR amount = 150 AND region LIKE 'eu%' | true",
            "region IN ('us', 'eu-west') | true", "region NOT IN ('us', 'eu-west') | false", "amount IN (1, 150, 3) | true",
            "amount BETWEEN 100 AND 200 | true", "amount NOT BETWEEN 100 AND 200 | false", "price BETWEEN 9.5 AND 9.5 | true",
            "region LIKE 'eu%' | true", "region LIKE 'eu_west' | true", "region LIKE 'eu' | false", "region NOT LIKE '%us%' | true",
            "code LIKE 'A_' | true", "region LIKE 'eu!-%' ESCAPE '!' | true", "region LIKE 'e.%' | false",
            "missing IS NULL | true", "amount IS NOT NULL | true", "empty IS NULL | false", "amount IS NULL | false",
            "TRUE | true", "FALSE | false", "flag | true", "flag = TRUE | true", "flag = FALSE | false", "true AND (false OR TRUE) | true",
            // a missing property makes a comparison unknown: neither it nor its negation matches
            "missing = 1 | false", "NOT missing = 1 | false", "missing = 1 OR amount = 150 | true", "missing IN ('a') | false",
            "amount > 100 and region like 'EU%' | false",
    })
    void evaluates(String sql, boolean expected) {
        assertThat(eval(sql)).as(sql).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "amount > | 8", "amount >> 1 | 8", "(amount > 1 | 11", "amount > 1 region = 'x' | 11", "'open | 0",
            "amount IN 1, 2 | 10", "amount BETWEEN 1 | 16", "region LIKE 5 | 12", "amount ! 1 | 7", "AND amount = 1 | 0",
            "amount # 1 | 7", "amount NOT 1 | 11", "amount IS 1 | 10", "1.2.3 > 1 | 0",
    })
    void rejectsBadExpressionsNamingThePosition(String sql, int position) {
        assertThatThrownBy(() -> SqlFilter.parse(sql))
                .isInstanceOfSatisfying(TernException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("at position " + position);
    }

    @Test
    void anEmptyConditionIsRejected() {
        assertThatThrownBy(() -> SqlFilter.parse("  ")).hasMessageContaining("an empty condition");
    }
}
