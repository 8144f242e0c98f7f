package dev.tern.engine;

import dev.tern.common.codec.RecordCodec;
import dev.tern.common.error.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class TagFilterTest {

    @Test
    void starAndNullMeanEverything() {
        assertThat(TagFilter.parse(null).all()).isTrue();
        assertThat(TagFilter.parse("*").all()).isTrue();
        assertThat(TagFilter.parse("  * ").all()).isTrue();
        assertThat(TagFilter.parse("A || *").all()).isTrue();
        assertThat(TagFilter.parse("*").hashPredicate()).isNull();
    }

    @Test
    void tagsAreSplitOnDoubleBarsWhateverTheSpacing() {
        assertThat(TagFilter.parse("A").tags()).containsExactly("A");
        assertThat(TagFilter.parse(" A ||B||  C ").tags()).containsExactlyInAnyOrder("A", "B", "C");
        assertThat(TagFilter.parse("my tag || other").tags()).containsExactlyInAnyOrder("my tag", "other");
        var p = TagFilter.parse("A || B").hashPredicate();
        assertThat(p.test(RecordCodec.tagHash("A"))).isTrue();
        assertThat(p.test(RecordCodec.tagHash("B"))).isTrue();
        assertThat(p.test(RecordCodec.tagHash("C"))).isFalse();
        assertThat(p.test(0)).as("untagged messages").isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', quoteCharacter = '"', value = {
            "\"A ||\"; position 4",
            "||; position 0",
            "\"\"; position 0",
            "\"   \"; position 3",
            "\"A || || B\"; position 5",
            "\"|| A\"; position 0",
            "\"A | B\"; single '|' at position 2",
            "\"A ||| B\"; single '|' at position 4",
    })
    void badExpressionsNameThePosition(String expression, String expected) {
        var e = Expect.throwsCode(() -> TagFilter.parse(expression), ErrorCode.INVALID_ARGUMENT);
        assertThat(e).hasMessageContaining(expected).hasMessageContaining("'" + expression + "'");
    }
}
