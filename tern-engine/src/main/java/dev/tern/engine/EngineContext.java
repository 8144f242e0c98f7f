package dev.tern.engine;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * The runtime the engine's parts share: configuration, metrics, the open/closed gate and two kinds of
 * threads, each with one duty:
 * <ul>
 *   <li>{@code tern-engine-N} (workers): complete every future the engine hands out and run the engine's
 *       continuations, so that no caller's code ever runs on a store writer thread;</li>
 *   <li>{@code tern-engine-timer}: only fires deadlines (pull timeouts, session expiry checks) and hands
 *       the work to the workers at once.</li>
 * </ul>
 */
final class EngineContext implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EngineContext.class);

    final EngineConfig config;
    final EngineMetrics metrics;
    final LongPolls longPolls;
    private final ThreadPoolExecutor workers;
    private final ScheduledThreadPoolExecutor timer;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Runs a task on a worker; after close, on the common pool, so late store completions still reach their callers. */
    final Executor executor = this::execute;

    EngineContext(EngineConfig config, EngineMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
        this.longPolls = new LongPolls(config.limits().maxLongPolls());
        int n = Math.max(2, Math.min(8, Runtime.getRuntime().availableProcessors()));
        this.workers = new ThreadPoolExecutor(n, n, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), threads("tern-engine-", true));
        this.timer = new ScheduledThreadPoolExecutor(1, threads("tern-engine-timer", false));
        timer.setRemoveOnCancelPolicy(true);
    }

    private static ThreadFactory threads(String name, boolean numbered) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, numbered ? name + count.incrementAndGet() : name);
            t.setDaemon(true);
            return t;
        };
    }

    boolean isClosed() {
        return closed.get();
    }

    /** Fails with STORE_CLOSED once the engine is closed. */
    void checkOpen() {
        if (closed.get()) throw new TernException(ErrorCode.STORE_CLOSED, "the engine is closed");
    }

    private void execute(Runnable task) {
        try {
            workers.execute(task);
        } catch (RejectedExecutionException e) {
            ForkJoinPool.commonPool().execute(task);
        }
    }

    /**
     * A future with {@code source}'s outcome, its failure unwrapped to a TernException, completed on a worker
     * (never on a store thread), or right away on the caller's thread when {@code source} is already done.
     */
    <T> CompletableFuture<T> hop(CompletableFuture<T> source) {
        return hop(source, null);
    }

    /**
     * Like {@link #hop(CompletableFuture)}, running {@code observer} (metrics, cache upkeep) on the worker
     * just before completing; an observer that throws is logged and ignored.
     */
    <T> CompletableFuture<T> hop(CompletableFuture<T> source, BiConsumer<T, TernException> observer) {
        CompletableFuture<T> out = new CompletableFuture<>();
        // Already complete: the store did the work on the caller's own thread (a lone appender writes
        // for itself), so finishing here is as safe as a hop and saves a thread hand-off per request.
        if (source.isDone()) {
            source.whenComplete((value, error) -> settle(out, value, error, observer));
            return out;
        }
        source.whenComplete((value, error) -> execute(() -> settle(out, value, error, observer)));
        return out;
    }

    private static <T> void settle(CompletableFuture<T> out, T value, Throwable error, BiConsumer<T, TernException> observer) {
        TernException failure = error == null ? null : Failures.unwrap(error);
        if (observer != null) {
            try {
                observer.accept(value, failure);
            } catch (RuntimeException e) {
                LOG.warn("engine observer failed", e);
            }
        }
        if (failure != null) out.completeExceptionally(failure);
        else out.complete(value);
    }

    /** Runs {@code task} on a worker after {@code delayNanos}. */
    ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
        return timer.schedule(() -> execute(task), delayNanos, TimeUnit.NANOSECONDS);
    }

    /** Runs {@code task} on a worker every {@code periodMs}. */
    ScheduledFuture<?> every(Runnable task, long periodMs) {
        return timer.scheduleWithFixedDelay(() -> execute(task), periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    /** Marks the engine closed (idempotent); returns false if it already was. */
    boolean markClosed() {
        return closed.compareAndSet(false, true);
    }

    /** Stops the timer and lets the workers finish what is queued (final completions of closed pulls). */
    @Override
    public void close() {
        timer.shutdownNow();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("engine workers still busy 5 s after close; abandoning them");
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            workers.shutdownNow();
        }
    }
}
