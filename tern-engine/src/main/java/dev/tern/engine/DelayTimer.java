package dev.tern.engine;

import dev.tern.common.Clock;
import dev.tern.common.error.ErrorCode;
import dev.tern.common.message.Message;
import dev.tern.store.api.Durability;
import dev.tern.store.api.MessageLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The thread {@code tern-timer}, with one duty: move delayed messages that are due from the
 * {@link TimerStore} to their queues. Each round reads at most {@link #BATCH} due entries (a range scan
 * that stops at "now", so pending timers are never scanned), appends them per queue, then deletes them
 * in one atomic write. When nothing is due it sleeps until the earliest entry is due, at most
 * {@link #IDLE_MS}, or until a send schedules an earlier one.
 * <p>
 * Delivery is at least once: a crash between the append and the delete delivers those entries again
 * after the restart (the idempotent producer is the cure for duplicates).
 */
final class DelayTimer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DelayTimer.class);
    static final int BATCH = 1000;
    /** The longest sleep: bounds lateness even if a wake-up is missed or the clock jumps. */
    static final long IDLE_MS = 50;

    private final TimerStore timers;
    private final MessageLog log;
    private final Clock clock;
    private final Durability durability;
    private final Thread thread;
    private final Object signal = new Object();
    private long sleepingUntil = Long.MIN_VALUE; // guarded by signal: MIN_VALUE when not sleeping
    private volatile boolean closed;
    /**
     * No entry is due before {@code floor}: a round raises it to the last due time it fired unless a send
     * stored timers during the round ({@code sentDuringRound}), and every send lowers it to its earliest due
     * time. Starts at 0, so that a restart sees everything. Guarded by {@code floorLock}.
     */
    private final Object floorLock = new Object();
    private long floor;
    private boolean sentDuringRound;

    DelayTimer(TimerStore timers, MessageLog log, Clock clock, Durability durability) {
        this.timers = timers;
        this.log = log;
        this.clock = clock;
        this.durability = durability;
        this.thread = new Thread(this::run, "tern-timer");
        thread.setDaemon(true);
    }

    DelayTimer start() {
        thread.start();
        return this;
    }

    /** A send stored timers, the earliest due at {@code dueMs}: wakes the thread if it sleeps past that. */
    void scheduled(long dueMs) {
        synchronized (floorLock) {
            floor = Math.min(floor, dueMs);
            sentDuringRound = true;
        }
        synchronized (signal) {
            if (dueMs < sleepingUntil) signal.notifyAll();
        }
    }

    private void run() {
        while (!closed) {
            try {
                if (!fireDue()) sleepUntilNext();
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                if (closed) return;
                LOG.warn("delivering delayed messages failed; retrying in 1 s", e);
                pause(1000);
            }
        }
    }

    /** Fires one batch of due entries; false when none was due. */
    private boolean fireDue() throws InterruptedException, ExecutionException {
        long from;
        synchronized (floorLock) {
            from = floor;
            sentDuringRound = false;
        }
        List<TimerStore.Due> due = timers.due(from, clock.millis(), BATCH).get();
        if (due.isEmpty()) return false;
        deliver(due);
        timers.remove(due, durability).get();
        synchronized (floorLock) {
            // a send during the round may have stored timers the scan did not see: then the floor stays
            if (!sentDuringRound) floor = Math.max(floor, TimerKeys.dueOf(due.getLast().key()));
        }
        return true;
    }

    /** Appends per (topic, queue), in due order within each; a vanished topic or queue drops its messages. */
    private void deliver(List<TimerStore.Due> due) throws InterruptedException, ExecutionException {
        Map<TopicQueue, List<Message>> byQueue = new LinkedHashMap<>();
        for (TimerStore.Due d : due) byQueue.computeIfAbsent(new TopicQueue(d.topic(), d.queue()), k -> new ArrayList<>()).add(d.message());
        List<CompletableFuture<?>> appends = new ArrayList<>(byQueue.size());
        for (Map.Entry<TopicQueue, List<Message>> e : byQueue.entrySet()) {
            TopicQueue tq = e.getKey();
            appends.add(log.append(tq.topic(), tq.queue(), e.getValue(), durability).handle((r, error) -> {
                if (error == null) return null;
                if (Failures.is(error, ErrorCode.TOPIC_NOT_FOUND) || Failures.is(error, ErrorCode.QUEUE_NOT_FOUND)) {
                    LOG.warn("dropping {} delayed message(s) for {}/{}: {}", e.getValue().size(), tq.topic(), tq.queue(), error.getMessage());
                    return null;
                }
                throw Failures.unwrap(error);
            }));
        }
        CompletableFuture.allOf(appends.toArray(CompletableFuture[]::new)).get();
    }

    private void sleepUntilNext() throws InterruptedException, ExecutionException {
        long from;
        synchronized (floorLock) {
            from = floor;
        }
        long next = timers.nextDue(from).get();
        synchronized (signal) {
            long now = clock.millis();
            long wait = Math.min(next == Long.MAX_VALUE ? IDLE_MS : next - now, IDLE_MS);
            if (wait <= 0 || closed) return;
            sleepingUntil = next;
            try {
                signal.wait(wait);
            } finally {
                sleepingUntil = Long.MIN_VALUE;
            }
        }
    }

    private void pause(long ms) {
        synchronized (signal) {
            try {
                if (!closed) signal.wait(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closed = true;
            }
        }
    }

    /** Stops the thread and waits for its round in progress to end. */
    @Override
    public void close() {
        closed = true;
        synchronized (signal) {
            signal.notifyAll();
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
