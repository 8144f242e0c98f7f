package dev.tern.testsupport;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StoreAssertionsTest {
    private static final TernException NOT_FOUND = new TernException(ErrorCode.TOPIC_NOT_FOUND, "no such topic");

    @Test
    void acceptsAFailedFutureASynchronousThrowAndAWrappedCause() {
        assertThat(StoreAssertions.assertFails(ErrorCode.TOPIC_NOT_FOUND, () -> CompletableFuture.failedFuture(NOT_FOUND)))
                .isSameAs(NOT_FOUND);
        assertThat(StoreAssertions.assertFails(ErrorCode.TOPIC_NOT_FOUND, () -> {
            throw NOT_FOUND;
        })).isSameAs(NOT_FOUND);
        assertThat(StoreAssertions.assertFails(ErrorCode.TOPIC_NOT_FOUND,
                () -> CompletableFuture.failedFuture(new CompletionException(NOT_FOUND)))).isSameAs(NOT_FOUND);
        assertThat(StoreAssertions.assertFails(ErrorCode.TOPIC_NOT_FOUND,
                () -> CompletableFuture.supplyAsync(() -> {
                    throw NOT_FOUND;
                }))).isSameAs(NOT_FOUND);
    }

    @Test
    void rejectsSuccessAWrongCodeAndAnUntypedFailure() {
        assertThatThrownBy(() -> StoreAssertions.assertFails(ErrorCode.TOPIC_NOT_FOUND, () -> CompletableFuture.completedFuture("ok")))
                .isInstanceOf(AssertionError.class).hasMessageContaining("succeeded");
        assertThatThrownBy(() -> StoreAssertions.assertFails(ErrorCode.TOPIC_EXISTS, () -> CompletableFuture.failedFuture(NOT_FOUND)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("TOPIC_EXISTS");
        assertThatThrownBy(() -> StoreAssertions.assertFails(ErrorCode.TOPIC_NOT_FOUND,
                () -> CompletableFuture.failedFuture(new IllegalStateException("x")))).isInstanceOf(AssertionError.class);
    }

    @Test
    void manualClockMovesOnlyWhenTold() {
        ManualClock clock = new ManualClock(10);
        assertThat(clock.millis()).isEqualTo(10);
        assertThat(clock.advance(5)).isEqualTo(15);
        clock.set(3);
        assertThat(clock.millis()).isEqualTo(3);
    }
}
