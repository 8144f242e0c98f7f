package dev.tern.gateway.mqtt;

import dev.tern.engine.Engine;
import dev.tern.engine.PullRequest;
import dev.tern.engine.PullResult;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * An engine whose pulls answer late: long-polling ones (the gateway's topic readers) by {@code readerDelayMillis},
 * ones that do not wait (a session's catch-up) by {@code catchUpDelayMillis}. Slow readers leave the store often
 * ahead of where live routing stands, which a catch-up must never read past; a slow catch-up leaves a session
 * behind with nothing unacknowledged for a while.
 */
final class DelayedPullEngine extends ForwardingEngine {
    private final long readerDelayMillis;
    private volatile long catchUpDelayMillis;

    DelayedPullEngine(Engine engine, long readerDelayMillis, long catchUpDelayMillis) {
        super(engine);
        this.readerDelayMillis = readerDelayMillis;
        this.catchUpDelayMillis = catchUpDelayMillis;
    }

    void catchUpDelay(long millis) {
        catchUpDelayMillis = millis;
    }

    @Override
    public CompletableFuture<PullResult> pull(PullRequest request) {
        long delay = request.maxWait().isZero() ? catchUpDelayMillis : readerDelayMillis;
        if (delay == 0) return engine.pull(request);
        return engine.pull(request).thenApplyAsync(r -> r, CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS));
    }
}
