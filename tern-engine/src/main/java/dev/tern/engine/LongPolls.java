package dev.tern.engine;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The places for requests that wait for something to arrive (long-polling pulls and pops, transaction
 * check polls), {@code pull.max.waiting} of them per engine. Each waiting request holds a waiter entry, a
 * timer and its caller's connection state for up to {@code pull.max.wait.ms}: past the limit a request that
 * would wait fails at once with LIMIT_EXCEEDED, so that no client can pile them up.
 */
final class LongPolls {
    private final int max;
    private final AtomicInteger waiting = new AtomicInteger();

    LongPolls(int max) {
        this.max = max;
    }

    /** Starts {@code poll} in a place given back when it completes (answered, timed out, failed or cancelled). */
    <T> CompletableFuture<T> admit(Supplier<CompletableFuture<T>> poll) {
        if (waiting.incrementAndGet() > max) {
            waiting.decrementAndGet();
            return CompletableFuture.failedFuture(new TernException(ErrorCode.LIMIT_EXCEEDED, "too many requests waiting: the node has "
                    + max + " long polls (pulls, pops, check polls) waiting, its limit (pull.max.waiting); ask again without waiting or later"));
        }
        CompletableFuture<T> f;
        try {
            f = poll.get();
        } catch (RuntimeException e) {
            waiting.decrementAndGet();
            throw e;
        }
        f.whenComplete((v, e) -> waiting.decrementAndGet());
        return f;
    }

    /** Long polls holding a place now. */
    int waiting() {
        return waiting.get();
    }
}
