package dev.tern.engine;

import dev.tern.common.error.TernException;
import dev.tern.store.api.AppendListener;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The pulls waiting for a queue to grow, keyed by (topic, queue), and the engine's one
 * {@link AppendListener}. The listener runs on the store's writer thread, so it only claims the waiters
 * the append concerns and hands each to the engine's workers; it never completes a future itself.
 * <p>
 * A waiter is settled exactly once, by whichever comes first: an append past its offset, its timeout,
 * a topic deletion, the engine closing, or its caller cancelling — {@link Waiter#claim()} decides.
 */
final class PullWaiters implements AppendListener {

    /** One waiting pull. Its callbacks run on a worker after a successful {@link #claim()}. */
    abstract static class Waiter {
        private final AtomicBoolean claimed = new AtomicBoolean();
        final TopicQueue queue;
        /** The offset the pull waits at: any append that takes the queue past it wakes the pull. */
        final long offset;

        Waiter(TopicQueue queue, long offset) {
            this.queue = queue;
            this.offset = offset;
        }

        /** True for the one caller that gets to settle this waiter. */
        final boolean claim() {
            return claimed.compareAndSet(false, true);
        }

        /** The queue grew past {@link #offset} (or its topic changed): read again. */
        abstract void woken();

        /** The engine is closing. */
        abstract void closed(TernException reason);
    }

    private final EngineContext context;
    private final ConcurrentHashMap<TopicQueue, Set<Waiter>> byQueue = new ConcurrentHashMap<>();
    private volatile TernException closedWith;

    PullWaiters(EngineContext context) {
        this.context = context;
    }

    /** Registers a waiter; if the engine is already closed it is settled at once. */
    void add(Waiter w) {
        byQueue.compute(w.queue, (q, set) -> {
            Set<Waiter> s = set == null ? ConcurrentHashMap.newKeySet() : set;
            s.add(w);
            return s;
        });
        TernException closed = closedWith;
        if (closed != null && w.claim()) {
            remove(w);
            context.executor.execute(() -> w.closed(closed));
        }
    }

    void remove(Waiter w) {
        byQueue.computeIfPresent(w.queue, (q, set) -> {
            set.remove(w);
            return set.isEmpty() ? null : set;
        });
    }

    /** Wakes a claimed waiter on a worker. */
    void wake(Waiter w) {
        remove(w);
        context.executor.execute(w::woken);
    }

    @Override
    public void appended(String topic, int queue, long nextOffset) {
        Set<Waiter> set = byQueue.get(new TopicQueue(topic, queue));
        if (set == null) return;
        for (Waiter w : set) {
            if (nextOffset > w.offset && w.claim()) wake(w);
        }
    }

    /** Wakes every pull of a topic (deleted or re-created): their next read tells them what became of it. */
    void wakeTopic(String topic) {
        byQueue.forEach((q, set) -> {
            if (q.topic().equals(topic)) {
                for (Waiter w : set) if (w.claim()) wake(w);
            }
        });
    }

    /** Settles every waiting pull with {@code reason}, and any registered later. */
    void close(TernException reason) {
        closedWith = reason;
        byQueue.forEach((q, set) -> {
            for (Waiter w : set) {
                if (w.claim()) {
                    remove(w);
                    context.executor.execute(() -> w.closed(reason));
                }
            }
        });
    }

    /** Waiting pulls, for tests and metrics. */
    int size() {
        return byQueue.values().stream().mapToInt(Set::size).sum();
    }
}
