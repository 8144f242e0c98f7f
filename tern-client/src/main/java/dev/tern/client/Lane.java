package dev.tern.client;

import dev.tern.engine.QueueTarget;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The messages of one (topic, queue target) on their way: those waiting to be batched and the count of
 * batches in flight. A lane that must keep order (a key or an explicit queue) has at most one batch in
 * flight, so a retried batch can never be overtaken. Not thread-safe: guarded by the accumulator's lock.
 */
final class Lane {
    final String topic;
    final QueueTarget target;
    /** Whether this lane carries delayed messages (kept apart from immediate ones of the same target). */
    final boolean delayed;
    private final int maxInFlight;
    private final ArrayDeque<PendingSend> pending = new ArrayDeque<>();
    private int pendingBytes;
    private int inFlight;
    boolean flushing;
    ScheduledFuture<?> lingerTimer;

    Lane(String topic, QueueTarget target, int maxInFlight, boolean delayed) {
        this.delayed = delayed;
        this.topic = topic;
        this.target = target;
        this.maxInFlight = maxInFlight;
    }

    void add(PendingSend p) {
        pending.add(p);
        pendingBytes += p.size();
    }

    /**
     * The next batch to send now, or null: nothing waits, the lane has its batches in flight, or the
     * oldest message may still linger. Counts the returned batch as in flight.
     */
    List<PendingSend> nextBatch(long nowNanos, long lingerMs, int batchMaxBytes) {
        if (pending.isEmpty() || inFlight >= maxInFlight) return null;
        boolean due = lingerMs == 0 || flushing || pendingBytes >= batchMaxBytes
                || nowNanos - pending.peek().enqueuedNanos() >= TimeUnit.MILLISECONDS.toNanos(lingerMs);
        if (!due) return null;
        List<PendingSend> batch = new ArrayList<>();
        int bytes = 0;
        while (!pending.isEmpty()) {
            PendingSend p = pending.peek();
            if (!batch.isEmpty() && bytes + p.size() > batchMaxBytes) break;
            pending.poll();
            bytes += p.size();
            batch.add(p);
        }
        pendingBytes -= bytes;
        if (pending.isEmpty()) flushing = false;
        inFlight++;
        return batch;
    }

    void batchDone() {
        inFlight--;
    }

    /** Nanoseconds until the oldest waiting message has lingered enough, or -1 when no timer is needed. */
    long lingerDelayNanos(long nowNanos, long lingerMs) {
        if (lingerMs == 0 || pending.isEmpty() || inFlight >= maxInFlight) return -1;
        long dueAt = pending.peek().enqueuedNanos() + TimeUnit.MILLISECONDS.toNanos(lingerMs);
        return Math.max(0, dueAt - nowNanos);
    }

    boolean idle() {
        return pending.isEmpty() && inFlight == 0;
    }
}
