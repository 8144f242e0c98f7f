package dev.tern.engine.sql;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** LIKE without backtracking: a reference table, agreement with a regular expression, and pathological patterns. */
class LikePatternTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "\"\" | \"\" | true", "\"\" | a | false", "% | \"\" | true", "% | abc | true", "%% | \"\" | true",
            "_ | \"\" | false", "_ | a | true", "_ | ab | false", "__ | ab | true", "a | a | true", "a | A | false",
            "abc | abc | true", "abc | abcd | false", "abc | xabc | false", "a% | abc | true", "a% | a | true", "a% | ba | false",
            "%c | abc | true", "%c | c | true", "%c | cb | false", "%b% | abc | true", "%b% | ac | false", "a%c | ac | true",
            "a%c | abbbc | true", "a%c | abcb | false", "a%a | a | false", "a%a | aa | true", "a_c | abc | true", "a_c | ac | false",
            "%a_c% | xxabcxx | true", "%a_c | xxabxc | false", "a%b%c | aXbYc | true", "a%b%c | acb | false",
            "%aab | aaab | true", "%aba% | ababa | true", "_%_ | a | false", "_%_ | ab | true", "%_%_% | a | false",
            "%ab%ab% | abab | true", "%ab%ab% | aba | false", "%a%a%a%a%b | aaaaab | true", "%a%a%a%a%b | aaab | false",
            "é_ | éx | true", "_ | 😀 | true", "__ | 😀 | false", "%😀 | x😀 | true", "%.% | a.b | true", "%.% | ab | false",
            "a*b | a*b | true", "a*b | aab | false", "\\d | \\d | true", "[a] | a | false", "(x) | (x) | true",
    })
    void matchesAsSqlSays(String pattern, String value, boolean expected) {
        assertThat(LikePattern.compile(pattern, null).matches(value)).as("'%s' LIKE '%s'", value, pattern).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "a!%b | a%b | true", "a!%b | axb | false", "a!_b | a_b | true", "a!_b | axb | false", "!!% | !x | true",
            "%!% | 50% | true", "%!% | 50 | false", "!a | a | true",
    })
    void escapes(String pattern, String value, boolean expected) {
        assertThat(LikePattern.compile(pattern, '!').matches(value)).as("'%s' LIKE '%s' ESCAPE '!'", value, pattern).isEqualTo(expected);
    }

    @Test
    void aPatternEndingInItsEscapeIsRefused() {
        assertThatThrownBy(() -> LikePattern.compile("ab!", '!')).hasMessageContaining("escape");
    }

    /** The regular expression the filter used before, as the reference. */
    private static boolean reference(String pattern, String value) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '%') regex.append(".*");
            else if (c == '_') regex.append('.');
            else regex.append(Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(value).matches();
    }

    @Test
    void agreesWithARegularExpressionOnRandomPatterns() {
        SplittableRandom random = new SplittableRandom(20261203);
        String patternChars = "ab%_", valueChars = "abc";
        int matched = 0;
        for (int i = 0; i < 200_000; i++) {
            String pattern = random(random, patternChars, 8), value = random(random, valueChars, 12);
            boolean expected = reference(pattern, value);
            assertThat(LikePattern.compile(pattern, null).matches(value)).as("'%s' LIKE '%s'", value, pattern).isEqualTo(expected);
            if (expected) matched++;
        }
        assertThat(matched).as("both outcomes are exercised").isBetween(1_000, 199_000);
    }

    @Test
    void agreesOnSegmentsLongerThanOneWord() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 2_000; i++) {
            String inner = random(random, "ab_", 70 + random.nextInt(80));
            String pattern = "%" + inner + "%";
            String value = random(random, "ab", 20) + inner.replace('_', 'b') + random(random, "ab", 20);
            String other = random(random, "ab", 200);
            assertThat(LikePattern.compile(pattern, null).matches(value)).isTrue();
            assertThat(LikePattern.compile(pattern, null).matches(other)).as(other).isEqualTo(reference(pattern, other));
        }
    }

    private static String random(SplittableRandom random, String alphabet, int maxLength) {
        int n = random.nextInt(maxLength + 1);
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        return b.toString();
    }

    /**
     * Patterns that make a backtracking matcher take exponential or polynomial time against a long run of
     * {@code a}s; here each is one pass. The timeout only stops a regression from hanging the build.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void pathologicalPatternsEndQuickly() {
        String as = "a".repeat(1 << 20);
        String[] patterns = {"%a%a%a%a%a%a%a%a%b", "%" + "a".repeat(60) + "b%", "%" + "_".repeat(200) + "b",
                "%" + "a%".repeat(500) + "b", "a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%ab", "%" + "a_".repeat(100) + "b%"};
        for (String p : patterns) {
            assertThat(LikePattern.compile(p, null).matches(as)).as(p).isFalse();
            assertThat(LikePattern.compile(p, null).matches(as + "b")).as(p + " ending in b").isTrue();
        }
    }
}
