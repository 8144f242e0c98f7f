package dev.tern.engine;

import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that evaluate pulls' SQL conditions ({@code tern-engine-filter-N}), apart from the engine
 * workers that complete every send: a costly condition over large properties then delays only filtered
 * pulls, never a producer's acknowledgement. Each pull has at most one evaluation queued at a time, so the
 * queue is as long as the pulls in flight. After close, tasks run on the common pool, so that pulls still
 * under way finish.
 */
final class FilterThreads implements Executor, AutoCloseable {
    private final ThreadPoolExecutor pool;

    FilterThreads() {
        int n = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors() / 2));
        AtomicInteger count = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(n, n, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "tern-engine-filter-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void execute(Runnable task) {
        try {
            pool.execute(task);
        } catch (RejectedExecutionException e) {
            ForkJoinPool.commonPool().execute(task);
        }
    }

    /** The number of threads. */
    int size() {
        return pool.getCorePoolSize();
    }

    @Override
    public void close() {
        pool.shutdown();
    }
}
