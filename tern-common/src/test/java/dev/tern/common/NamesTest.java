package dev.tern.common;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

class NamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "0", "orders", "Orders-2024_v1", "a.b", "a..b", ".hidden", "trailing.", "..x", "x..",
            "%RETRY%group", "%DLQ%g", "_", "-", "%", "A-Za-z0-9._%"})
    void acceptsLettersDigitsAndDotUnderscoreDashPercent(String name) {
        assertThat(Names.checkTopic(name)).isEqualTo(name);
        assertThat(Names.checkGroup(name)).isEqualTo(name);
    }

    @ParameterizedTest
    @NullAndEmptySource
    void rejectsNullAndEmpty(String name) {
        assertInvalid(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a b", " a", "a/b", "/", "a\\b", "a:b", "a*b", "a?b", "tab\t", "new\nline", "nul\0",
            "naïve", "ünïcødé", "日本", "a+b", "a@b", "a#b", "a,b", "a;b", "a=b", "\"q\"", "'q'"})
    void rejectsAnyOtherCharacter(String name) {
        assertInvalid(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {".", "..", "...", "....", "................"})
    void rejectsNamesMadeOnlyOfDots(String name) {
        TernException e = assertInvalid(name);
        assertThat(e.getMessage()).contains("dots");
    }

    @Test
    void acceptsUpTo127CharactersAndRejects128() {
        assertThat(Names.MAX_LENGTH).isEqualTo(127);
        for (String name : new String[] {"x".repeat(127), "9".repeat(127), "a.".repeat(63) + "b"}) {
            assertThat(Names.checkTopic(name)).isEqualTo(name);
            assertThat(Names.checkGroup(name)).isEqualTo(name);
        }
        assertInvalid("x".repeat(128));
        assertInvalid("x".repeat(1000));
        assertInvalid(".".repeat(128));
    }

    @Test
    void errorsNameWhatWasCheckedAndShowTheNamePrintably() {
        assertThatThrownBy(() -> Names.checkTopic("a b")).hasMessageContaining("topic").hasMessageContaining("'a b'");
        assertThatThrownBy(() -> Names.checkGroup("")).hasMessageContaining("group");
        assertThatThrownBy(() -> Names.checkTopic("bell\u0007")).hasMessageContaining("'bell?'");
        assertThatThrownBy(() -> Names.checkTopic("y".repeat(200))).hasMessageContaining("y".repeat(64) + "...'")
                .hasMessageNotContaining("y".repeat(65));
    }

    private static TernException assertInvalid(String name) {
        TernException topic = invalid(Names::checkTopic, name);
        invalid(Names::checkGroup, name);
        return topic;
    }

    private static TernException invalid(UnaryOperator<String> check, String name) {
        Throwable t = catchThrowable(() -> check.apply(name));
        assertThat(t).as("'%s' must be rejected", name).isInstanceOf(TernException.class);
        TernException e = (TernException) t;
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        return e;
    }
}
