package dev.tern.protocol.server;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The node-wide budget of request bytes the native server holds at once ({@code native.max.inflight.bytes.total}):
 * frames read (or being read) whose replies have not gone out yet, over all connections. A connection reserves
 * a frame's whole length from here as soon as it has read the frame's length prefix, before the frame's body
 * is read; when the budget is spent the connection stops reading (TCP back-pressure on its client) and waits
 * here until replies on any connection give bytes back. Connections that hold nothing (a producer sending one
 * request at a time beside a flood) are served before those already holding requests, in arrival order
 * within each kind, so that the flood does not make them wait for every other connection's next frame.
 * <p>
 * A reservation always succeeds when nothing is reserved, so one frame, however large (up to the frame limit),
 * always gets through: the budget can never stall the whole node.
 */
final class InflightBytes {
    private final long limit;
    private final AtomicLong used = new AtomicLong();
    private final ConcurrentLinkedQueue<FrameReader> waitingIdle = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<FrameReader> waiting = new ConcurrentLinkedQueue<>();
    private final LongAdder pauses = new LongAdder();
    private final LongAdder connectionPauses = new LongAdder();

    InflightBytes(long limit) {
        this.limit = limit;
    }

    /** Reserves {@code bytes} if they fit (or if nothing is reserved); false when the budget is spent. */
    boolean tryReserve(long bytes) {
        while (true) {
            long cur = used.get();
            if (cur > 0 && cur + bytes > limit) return false;
            if (used.compareAndSet(cur, cur + bytes)) return true;
        }
    }

    /**
     * Reserves {@code bytes}, or queues {@code reader} to be woken when bytes come back; false then. The
     * second try after queueing closes the gap where the last release happened between the first try and
     * the queueing (the reader may then be woken once for nothing, which it tolerates). {@code idle}: the
     * reader's connection holds nothing, so it goes before those that do.
     */
    boolean reserveOrWait(long bytes, FrameReader reader, boolean idle) {
        if (tryReserve(bytes)) return true;
        ConcurrentLinkedQueue<FrameReader> queue = idle ? waitingIdle : waiting;
        queue.add(reader);
        if (tryReserve(bytes)) {
            queue.remove(reader);
            return true;
        }
        pauses.increment();
        return false;
    }

    void release(long bytes) {
        if (bytes == 0) return;
        used.addAndGet(-bytes);
        wakeNext();
    }

    /** Wakes the longest-waiting reader if there is room; a woken reader that gets its bytes passes the turn on. */
    void wakeNext() {
        if (used.get() >= limit) return;
        FrameReader next = waitingIdle.poll();
        if (next == null) next = waiting.poll();
        if (next != null) next.wake();
    }

    void forget(FrameReader reader) {
        waitingIdle.remove(reader);
        waiting.remove(reader);
    }

    long used() {
        return used.get();
    }

    long limit() {
        return limit;
    }

    void countConnectionPause() {
        connectionPauses.increment();
    }

    /** Times a connection stopped reading: its own budget was spent, or the node's. */
    long pauses() {
        return pauses.sum() + connectionPauses.sum();
    }
}
