package dev.tern.engine;

import dev.tern.common.error.TernException;
import dev.tern.store.api.MessageLog;
import dev.tern.store.api.QueueRange;
import dev.tern.store.api.ReadRequest;
import dev.tern.store.api.ReadResult;
import dev.tern.store.api.StoredRecord;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

/**
 * One pull, from its first read to its result: read; when a tag filter skipped part of the queue, read
 * on from where it stopped; at the end of the queue, wait (registered with {@link PullWaiters}, with a
 * timer for the deadline) and read again once an append wakes it. Never polls.
 * <p>
 * Each step is started by exactly one earlier step (a read's completion, a wake-up, the timeout), so the
 * state needs no lock; every step runs on an engine worker, except the evaluation of a SQL condition, which
 * runs on {@link FilterThreads} and hands the rest back to a worker.
 */
final class PullOperation {
    /** Reads in a row that a tag filter may skip through before the pull answers with what it skipped. */
    static final int MAX_READS_PER_ROUND = 16;

    private final EngineContext context;
    private final MessageLog log;
    private final PullWaiters waiters;
    private final PullRequest request;
    private final MessageFilter filter;
    private final FilterThreads filterThreads;
    private final TopicQueue queue;
    private final long deadlineNanos;
    final CompletableFuture<PullResult> result = new CompletableFuture<>();

    private long offset;
    private QueueRange range;
    private int reads;
    private volatile Wait waiting;

    PullOperation(EngineContext context, MessageLog log, PullWaiters waiters, FilterThreads filterThreads, PullRequest request,
                  MessageFilter filter, long waitNanos) {
        this.context = context;
        this.filterThreads = filterThreads;
        this.log = log;
        this.waiters = waiters;
        this.request = request;
        this.filter = filter;
        this.queue = new TopicQueue(request.topic(), request.queue());
        this.offset = request.offset();
        this.deadlineNanos = System.nanoTime() + waitNanos;
        // a caller that gives up (a server whose client went away) frees its place among the waiters
        result.whenComplete((r, e) -> {
            Wait w = waiting;
            if (result.isCancelled() && w != null && w.claim()) w.cancel();
        });
    }

    PullOperation start() {
        read();
        return this;
    }

    private void read() {
        reads++;
        ReadRequest r = new ReadRequest(request.topic(), request.queue(), offset, request.maxMessages(), request.maxBytes(),
                filter.hashPredicate());
        Failures.guard(() -> log.read(r)).whenCompleteAsync(this::onRead, context.executor);
    }

    private void onRead(ReadResult read, Throwable error) {
        if (error != null) {
            fail(error);
            return;
        }
        try {
            switch (read.status()) {
                case FOUND -> {
                    if (filter.hasSql()) evaluateApart(read);
                    else kept(read, filter.retain(read.records()));
                }
                case NO_MESSAGES -> {
                    read.close();
                    advance(read.nextOffset(), read.range());
                }
                case OFFSET_TOO_SMALL, OFFSET_TOO_BIG -> complete(new PullResult(read.status(), List.of(), read.nextOffset(), read.range(), read));
            }
        } catch (RuntimeException e) {
            read.close();
            fail(e);
        }
    }

    /** The SQL condition on the filter threads, then back to a worker with what it kept. */
    private void evaluateApart(ReadResult read) {
        CompletableFuture.supplyAsync(() -> filter.retain(read.records()), filterThreads).whenCompleteAsync((kept, error) -> {
            if (error != null) {
                read.close();
                fail(error);
                return;
            }
            try {
                kept(read, kept);
            } catch (RuntimeException e) {
                read.close();
                fail(e);
            }
        }, context.executor);
    }

    private void kept(ReadResult read, List<StoredRecord> kept) {
        if (!kept.isEmpty()) {
            found(read, kept);
            return;
        }
        read.close(); // only tag-hash collisions or SQL misses: read on
        advance(read.nextOffset(), read.range());
    }

    private void found(ReadResult read, List<StoredRecord> records) {
        long bytes = 0;
        for (StoredRecord r : records) bytes += r.size();
        if (!result.isDone()) {
            try {
                context.metrics.pulled(request.topic(), records.size(), bytes);
            } catch (RuntimeException ignored) {
                // a metrics hook never fails a pull
            }
        }
        complete(new PullResult(ReadResult.Status.FOUND, records, read.nextOffset(), read.range(), read));
    }

    /** After a read that returned nothing to the caller: go on reading, wait, or answer empty. */
    private void advance(long next, QueueRange readRange) {
        boolean moved = next > offset;
        offset = Math.max(offset, next);
        range = readRange;
        if (offset < readRange.nextOffset()) {
            // the filter stopped part-way: read on, within bounds, else answer with the offset reached
            if (moved && reads < MAX_READS_PER_ROUND) read();
            else completeEmpty();
            return;
        }
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining <= 0 || context.isClosed()) completeEmpty();
        else await(remaining);
    }

    private void await(long remainingNanos) {
        Wait w = new Wait(offset);
        waiting = w;
        waiters.add(w);
        w.timeout = context.schedule(() -> {
            if (w.claim()) {
                waiters.remove(w);
                completeEmpty();
            }
        }, remainingNanos);
        if (result.isDone() && w.claim()) { // cancelled meanwhile
            w.cancel();
            return;
        }
        // an append between the read and the registration told no one: look once more
        Failures.guard(() -> log.range(request.topic(), request.queue())).whenCompleteAsync((now, error) -> {
            if (error != null) {
                if (w.claim()) {
                    w.cancel();
                    fail(error);
                }
            } else if (now.nextOffset() > w.offset && w.claim()) {
                waiters.wake(w);
            }
        }, context.executor);
    }

    private void completeEmpty() {
        complete(new PullResult(ReadResult.Status.NO_MESSAGES, List.of(), offset, range, null));
    }

    /** Completes the caller's future; a caller that cancelled gets nothing, and the read is released. */
    private boolean complete(PullResult r) {
        if (result.complete(r)) return true;
        r.close();
        return false;
    }

    private void fail(Throwable error) {
        result.completeExceptionally(Failures.unwrap(error));
    }

    /** One wait at the end of the queue. */
    private final class Wait extends PullWaiters.Waiter {
        volatile ScheduledFuture<?> timeout;

        Wait(long offset) {
            super(PullOperation.this.queue, offset);
        }

        @Override
        void woken() {
            cancelTimer();
            waiting = null;
            reads = 0;
            read();
        }

        @Override
        void closed(TernException reason) {
            cancelTimer();
            fail(reason);
        }

        void cancel() {
            cancelTimer();
            waiters.remove(this);
        }

        private void cancelTimer() {
            ScheduledFuture<?> t = timeout;
            if (t != null) t.cancel(false);
        }
    }
}
