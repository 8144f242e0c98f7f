package dev.tern.testsupport;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waiting in tests without {@code Thread.sleep}: the result of a future within a bound, and an
 * Awaitility condition factory with Tern's defaults.
 */
public final class Await {
    /** Long enough for a loaded CI machine, short enough that a hang fails well inside the test timeout. */
    public static final Duration TIMEOUT = Duration.ofSeconds(20);

    private Await() {
    }

    /**
     * The value of a future. A failed future rethrows its cause (a {@code TernException} stays one), so a
     * test that did not expect the failure shows the store's own error.
     */
    public static <T> T result(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw unchecked(e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("future did not complete within " + TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for a future", e);
        }
    }

    /** An Awaitility condition that polls often and gives up after {@link #TIMEOUT}. */
    public static ConditionFactory await() {
        return Awaitility.await().atMost(TIMEOUT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1));
    }

    private static RuntimeException unchecked(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new CompletionException(t);
    }
}
