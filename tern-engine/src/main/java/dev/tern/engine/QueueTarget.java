package dev.tern.engine;

/** How {@link Engine#send} picks the queue of a batch. */
public sealed interface QueueTarget {

    /** This queue. */
    record Explicit(int queue) implements QueueTarget {
    }

    /**
     * The queue of {@code hash(key) mod queues}: messages with the same key stay in order on one queue.
     * The hash is MurmurHash3 x86 32-bit (seed 0) of the key's UTF-8 bytes, its sign bit cleared.
     */
    record ByKey(String key) implements QueueTarget {
    }

    /** The next queue in turn, per topic. */
    record RoundRobin() implements QueueTarget {
    }

    static QueueTarget queue(int queue) {
        return new Explicit(queue);
    }

    static QueueTarget key(String key) {
        return new ByKey(key);
    }

    static QueueTarget roundRobin() {
        return new RoundRobin();
    }
}
