package dev.tern.store.local.index;

import dev.tern.common.codec.RecordCodec;
import dev.tern.store.local.log.CommitLog;
import dev.tern.store.local.log.LogCursor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Follows the commit log and feeds the key index ("tern-index-dispatcher"), off the append path. Each
 * round indexes what was written since the last one, in one atomic batch with its new position. Lookups
 * that must see an append ask {@link #awaitIndexed} first.
 */
public final class IndexDispatcher implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(IndexDispatcher.class);
    private static final int MAX_RECORDS_PER_BATCH = 20_000;

    private final CommitLog log;
    private final KeyIndex index;
    private final PriorityQueue<Waiter> waiters = new PriorityQueue<>();
    private volatile long position;
    private volatile boolean running = true;
    private volatile Thread thread;

    private record Waiter(long target, CompletableFuture<Void> future) implements Comparable<Waiter> {
        @Override
        public int compareTo(Waiter o) {
            return Long.compare(target, o.target);
        }
    }

    public IndexDispatcher(CommitLog log, KeyIndex index, long startPosition) {
        this.log = log;
        this.index = index;
        this.position = startPosition;
    }

    public long position() {
        return position;
    }

    /** Completes once every record below {@code target} is in the key index. */
    public CompletableFuture<Void> awaitIndexed(long target) {
        if (position >= target) return CompletableFuture.completedFuture(null);
        CompletableFuture<Void> f = new CompletableFuture<>();
        synchronized (waiters) {
            waiters.add(new Waiter(target, f));
        }
        LockSupport.unpark(thread);
        if (position >= target) release();
        return f;
    }

    public void stop() {
        running = false;
        LockSupport.unpark(thread);
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        boolean warned = false;
        while (running) {
            long written = log.writtenPosition();
            if (position >= written) {
                release();
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
                continue;
            }
            try {
                LogCursor cursor = new LogCursor(log, position, false);
                List<KeyIndex.Entry> entries = new ArrayList<>();
                LogCursor.Step step;
                int n = 0;
                while (n < MAX_RECORDS_PER_BATCH && (step = cursor.next(written)) == LogCursor.Step.RECORD) {
                    int topicId = RecordCodec.topicId(cursor.buffer(), cursor.at());
                    for (String key : RecordCodec.keys(cursor.buffer(), cursor.at())) {
                        entries.add(new KeyIndex.Entry(topicId, key, cursor.position()));
                    }
                    n++;
                    if (n == MAX_RECORDS_PER_BATCH) break;
                }
                long next = n == MAX_RECORDS_PER_BATCH ? cursor.position() + cursor.size() : cursor.position();
                if (next == position && n == 0) {
                    if (!warned) LOG.error("key index dispatcher cannot read the log at {} (written up to {})", position, written);
                    warned = true;
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
                    continue;
                }
                index.write(entries, next);
                position = next;
                release();
            } catch (RuntimeException e) {
                LOG.warn("key index dispatch failed at {}, retrying: {}", position, e.toString());
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            }
        }
        release();
    }

    private void release() {
        List<Waiter> done = new ArrayList<>();
        synchronized (waiters) {
            while (!waiters.isEmpty() && waiters.peek().target <= position) done.add(waiters.poll());
        }
        for (Waiter w : done) w.future.complete(null);
    }
}
