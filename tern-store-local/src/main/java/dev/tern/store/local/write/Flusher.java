package dev.tern.store.local.write;

import dev.tern.store.local.io.FileIO;
import dev.tern.store.local.log.Checkpoint;
import dev.tern.store.local.log.CommitLog;
import dev.tern.store.local.queue.ConsumeQueue;
import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Makes the log durable ("tern-flusher"). Whenever SYNC appends wait, it takes them all, forces the log
 * up to what has been written so far — which covers every one of them — and completes them: one fsync
 * for however many appenders arrived meanwhile (group commit). ASYNC data is forced every flush
 * interval. Every checkpoint interval it also forces the consume queues and advances the recovery
 * checkpoint, which bounds how much of the log recovery re-reads.
 */
public final class Flusher implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(Flusher.class);

    private final CommitLog log;
    private final Supplier<Collection<ConsumeQueue>> queues;
    private final Path checkpointFile;
    private final FileIO io;
    /** Forces metadata written without sync, with the same time bound as ASYNC appends. */
    private final Runnable syncMetadata;
    private final long flushIntervalNanos;
    private final long checkpointIntervalNanos;
    private final StoreHealth health;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private ArrayDeque<AppendRequest> waiting = new ArrayDeque<>();
    /** Callers of {@link #durable(long)} waiting for the next flush (which covers whatever they wait for). */
    private ArrayDeque<CompletableFuture<Void>> barriers = new ArrayDeque<>();
    private volatile boolean running = true;
    private volatile Thread thread;

    public Flusher(CommitLog log, Supplier<Collection<ConsumeQueue>> queues, Runnable syncMetadata, FileIO io, Path checkpointFile,
                   long flushIntervalMs, long checkpointIntervalMs, StoreHealth health) {
        this.syncMetadata = syncMetadata;
        this.log = log;
        this.queues = queues;
        this.io = io;
        this.checkpointFile = checkpointFile;
        this.flushIntervalNanos = TimeUnit.MILLISECONDS.toNanos(flushIntervalMs);
        this.checkpointIntervalNanos = TimeUnit.MILLISECONDS.toNanos(checkpointIntervalMs);
        this.health = health;
    }

    /** Called by the appender with a written SYNC request; completes it once its bytes are forced. */
    void await(AppendRequest r) {
        lock.lock();
        try {
            waiting.add(r);
            wake.signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns once every log byte below {@code target} is on stable storage: the ordering rule of SYNC state
     * that speaks of messages (an offset commit, an ack must never outlive, after a power cut, the messages
     * it speaks of). Rides the next group commit; on the flusher's own thread (a callback of a completed
     * append) it flushes there and then. Throws when the store is read-only or the flush fails.
     */
    public void awaitDurable(long target) {
        if (health.writeFailure() != null) throw health.writeFailure();
        if (log.flushedPosition() >= target) return;
        if (Thread.currentThread() == thread) {
            try {
                log.flush(log.writtenPosition());
            } catch (IOException | RuntimeException e) {
                throw logFlushFailed(e);
            }
            return;
        }
        try {
            durable(target).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** Completes once every log byte below {@code target} is on stable storage (the next group commit). */
    public CompletableFuture<Void> durable(long target) {
        if (health.writeFailure() != null) return CompletableFuture.failedFuture(health.writeFailure());
        if (log.flushedPosition() >= target) return CompletableFuture.completedFuture(null);
        CompletableFuture<Void> f = new CompletableFuture<>();
        lock.lock();
        try {
            if (!running) return CompletableFuture.failedFuture(new TernException(ErrorCode.STORE_CLOSED, "the store is closed"));
            barriers.add(f);
            wake.signal();
        } finally {
            lock.unlock();
        }
        return f;
    }

    public void stop() {
        lock.lock();
        try {
            running = false;
            wake.signal();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        long lastFlush = System.nanoTime();
        long lastCheckpoint = lastFlush;
        while (true) {
            ArrayDeque<AppendRequest> batch;
            ArrayDeque<CompletableFuture<Void>> barrierBatch;
            boolean stopping;
            lock.lock();
            try {
                while (running && waiting.isEmpty() && barriers.isEmpty()) {
                    long left = flushIntervalNanos - (System.nanoTime() - lastFlush);
                    if (left <= 0) break;
                    wake.awaitNanos(left);
                }
                batch = waiting;
                waiting = new ArrayDeque<>();
                barrierBatch = barriers;
                barriers = new ArrayDeque<>();
                stopping = !running;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                lock.unlock();
            }
            flush(batch, barrierBatch);
            syncMetadata.run();
            lastFlush = System.nanoTime();
            if (stopping || lastFlush - lastCheckpoint >= checkpointIntervalNanos) {
                checkpoint();
                lastCheckpoint = System.nanoTime();
            }
            if (stopping) {
                lock.lock();
                try {
                    if (waiting.isEmpty() && barriers.isEmpty()) return;
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    private void flush(ArrayDeque<AppendRequest> batch, ArrayDeque<CompletableFuture<Void>> barrierBatch) {
        // read after taking the batch: every request and barrier in it was published before it was handed over
        long target = log.writtenPosition();
        if (health.writeFailure() != null) {
            // after a failed fsync a later one proves nothing: what waits is refused, never acknowledged
            fail(batch, barrierBatch);
            return;
        }
        try {
            log.flush(target);
            for (AppendRequest r : batch) r.complete();
            for (CompletableFuture<Void> b : barrierBatch) b.complete(null);
        } catch (IOException | RuntimeException e) {
            logFlushFailed(e);
            fail(batch, barrierBatch);
        }
    }

    /** A failed fsync of the log: the store turns read-only (never retried); returns the error writes now get. */
    private TernException logFlushFailed(Exception e) {
        LOG.error("flushing the commit log failed; the store turns read-only", e);
        health.failWrites("fsync of the commit log: " + e.getMessage(), e);
        return health.writeFailure();
    }

    private void fail(ArrayDeque<AppendRequest> batch, ArrayDeque<CompletableFuture<Void>> barrierBatch) {
        for (AppendRequest r : batch) r.fail(health.writeFailure());
        for (CompletableFuture<Void> b : barrierBatch) b.completeExceptionally(health.writeFailure());
    }

    /** Forces the consume queues, then records how far the log and the queues are durable. */
    public void checkpoint() {
        if (health.writeFailure() != null) return; // the old checkpoint promises less, and stays true
        long covered = log.writtenPosition();
        try {
            List<ConsumeQueue> qs = new ArrayList<>(queues.get());
            for (ConsumeQueue q : qs) q.force();
            log.flush(covered);
        } catch (IOException | RuntimeException e) {
            // a failed fsync of a queue file, the log or a directory means pages the kernel may have
            // dropped: never retry, stop writing
            LOG.error("forcing the consume queues and the log for a checkpoint failed; the store turns read-only", e);
            health.failWrites("checkpoint: " + e.getMessage(), e);
            return;
        }
        try {
            new Checkpoint(log.flushedPosition(), covered).write(io, checkpointFile);
        } catch (IOException | RuntimeException e) {
            // harmless: whichever checkpoint file survives (old or new) promises only what was forced above
            LOG.warn("could not write the recovery checkpoint (recovery will re-read more of the log): {}", e.getMessage());
        }
    }
}
