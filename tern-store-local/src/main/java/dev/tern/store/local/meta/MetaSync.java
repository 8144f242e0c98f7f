package dev.tern.store.local.meta;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import org.rocksdb.RocksDBException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * Group commit for SYNC writes of state that speaks of messages (offset commits), on its own thread
 * ("tern-meta-sync"): it takes every write waiting, waits until the log is durable as far as the furthest
 * of them needs (the order of durable writes, docs/durability.md), then applies them all in one RocksDB
 * batch with one fsync, and completes them. Callers never block (an offset commit arrives on a network
 * thread), and a consumer committing after every batch costs one fsync per round, not one per commit.
 */
public final class MetaSync implements Runnable {
    /** One entry of a batch. */
    public interface Op {
        void addTo(MetaDb.BatchBuilder batch) throws RocksDBException;
    }

    private record Pending(long logTarget, Op op, CompletableFuture<Void> done) {
    }

    private final MetaDb db;
    private final LongConsumer awaitLogDurable;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private volatile boolean running = true;

    /** @param awaitLogDurable blocks until every log byte below its argument is durable (throws if it cannot be) */
    public MetaSync(MetaDb db, LongConsumer awaitLogDurable) {
        this.db = db;
        this.awaitLogDurable = awaitLogDurable;
    }

    /** Applies {@code op} durably once the log is durable below {@code logTarget}. */
    public CompletableFuture<Void> write(long logTarget, Op op) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!running) {
            done.completeExceptionally(new TernException(ErrorCode.STORE_CLOSED, "the store is closed"));
            return done;
        }
        queue.add(new Pending(logTarget, op, done));
        return done;
    }

    /** Applies what is queued, then stops. */
    public void stop() {
        running = false;
    }

    @Override
    public void run() {
        List<Pending> batch = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(50, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                batch.add(first);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            queue.drainTo(batch);
            apply(batch);
            batch.clear();
        }
    }

    private void apply(List<Pending> batch) {
        try {
            long target = 0;
            for (Pending p : batch) target = Math.max(target, p.logTarget());
            awaitLogDurable.accept(target);
            db.write(true, b -> {
                try {
                    for (Pending p : batch) p.op().addTo(b);
                } catch (RocksDBException e) {
                    throw new TernException(ErrorCode.STORAGE_IO, "building a metadata batch failed: " + e.getMessage(), e);
                }
            });
            for (Pending p : batch) p.done().complete(null);
        } catch (RuntimeException e) {
            for (Pending p : batch) p.done().completeExceptionally(e);
        }
    }
}
