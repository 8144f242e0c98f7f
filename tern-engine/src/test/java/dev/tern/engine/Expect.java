package dev.tern.engine;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.testsupport.Await;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Assertions on engine futures. */
final class Expect {

    private Expect() {
    }

    /**
     * The future fails with a TernException of {@code code}, unwrapped (the engine never hands out a
     * CompletionException); returns it for further checks of the message.
     */
    static TernException fails(CompletableFuture<?> future, ErrorCode code) {
        Throwable error = future.handle((v, e) -> e).orTimeout(Await.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
        assertThat(error).as("the future should have failed with " + code).isInstanceOf(TernException.class);
        assertThat(((TernException) error).code()).as(error.getMessage()).isEqualTo(code);
        return (TernException) error;
    }

    /** A synchronous call that must throw a TernException of {@code code}. */
    static TernException throwsCode(Runnable call, ErrorCode code) {
        try {
            call.run();
        } catch (TernException e) {
            assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
            return e;
        }
        throw new AssertionError("expected " + code);
    }
}
