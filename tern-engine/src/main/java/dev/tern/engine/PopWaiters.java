package dev.tern.engine;

import dev.tern.common.error.TernException;
import dev.tern.store.api.AppendListener;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The pops waiting for something to hand out, keyed by topic, and what tells them: appends to the topic
 * (this is an {@link AppendListener}, so it runs on the store's writer thread and only hands signals to
 * the engine's workers), messages of a group becoming ready again (the {@link Reviver}, FIFO releases), a
 * topic deleted or created again, the engine closing. A signal only says "look again": the waiter decides.
 */
final class PopWaiters implements AppendListener {

    /** One waiting pop. {@link #signalled()} and {@link #closed} run on a worker. */
    abstract static class Waiter {
        private final AtomicBoolean queued = new AtomicBoolean();
        final String group, topic;
        /** The queue it pops, or {@link PopRequest#ANY_QUEUE}. */
        final int queue;

        Waiter(String group, String topic, int queue) {
            this.group = group;
            this.topic = topic;
            this.queue = queue;
        }

        boolean covers(int q) {
            return queue == PopRequest.ANY_QUEUE || queue == q;
        }

        /** Something may be there now: pop again. */
        abstract void signalled();

        /** The engine is closing. */
        abstract void closed(TernException reason);
    }

    private final EngineContext context;
    private final ConcurrentHashMap<String, Set<Waiter>> byTopic = new ConcurrentHashMap<>();
    private volatile TernException closedWith;

    PopWaiters(EngineContext context) {
        this.context = context;
    }

    /** Registers a waiter; if the engine is already closed it is told at once. */
    void add(Waiter w) {
        byTopic.computeIfAbsent(w.topic, t -> ConcurrentHashMap.newKeySet()).add(w);
        TernException closed = closedWith;
        if (closed != null && remove(w)) context.executor.execute(() -> w.closed(closed));
    }

    /** True if {@code w} was registered. */
    boolean remove(Waiter w) {
        boolean[] removed = new boolean[1];
        byTopic.computeIfPresent(w.topic, (t, set) -> {
            removed[0] = set.remove(w);
            return set.isEmpty() ? null : set;
        });
        return removed[0];
    }

    /** Many signals before the worker gets to a waiter make one look. */
    private void signal(Waiter w) {
        if (w.queued.compareAndSet(false, true)) {
            context.executor.execute(() -> {
                w.queued.set(false);
                w.signalled();
            });
        }
    }

    @Override
    public void appended(String topic, int queue, long nextOffset) {
        Set<Waiter> set = byTopic.get(topic);
        if (set == null) return;
        for (Waiter w : set) if (w.covers(queue)) signal(w);
    }

    /** A message of {@code group} in the queue became ready to be handed out again. */
    void ready(String group, String topic, int queue) {
        Set<Waiter> set = byTopic.get(topic);
        if (set == null) return;
        for (Waiter w : set) if (w.group.equals(group) && w.covers(queue)) signal(w);
    }

    /** The topic was deleted or created again: its waiters' next pop tells them what became of it. */
    void wakeTopic(String topic) {
        Set<Waiter> set = byTopic.get(topic);
        if (set != null) set.forEach(this::signal);
    }

    /** Tells every waiting pop, and any registered later, that the engine closed. */
    void close(TernException reason) {
        closedWith = reason;
        byTopic.forEach((t, set) -> {
            for (Waiter w : set) {
                if (remove(w)) context.executor.execute(() -> w.closed(reason));
            }
        });
    }

    /** Waiting pops, for tests. */
    int size() {
        return byTopic.values().stream().mapToInt(Set::size).sum();
    }
}
