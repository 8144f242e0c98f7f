package dev.tern.engine;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Picks the queue of a send from its {@link QueueTarget}. */
final class QueueSelector {
    /** The next round-robin turn per topic; shared by every producer of this engine. */
    private final ConcurrentHashMap<String, AtomicInteger> turns = new ConcurrentHashMap<>();

    int select(String topic, QueueTarget target, int queues) {
        return switch (target) {
            case QueueTarget.Explicit e -> {
                if (e.queue() < 0 || e.queue() >= queues) {
                    throw new TernException(ErrorCode.QUEUE_NOT_FOUND,
                            "topic '" + topic + "' has queues 0 to " + (queues - 1) + ", not " + e.queue());
                }
                yield e.queue();
            }
            case QueueTarget.ByKey k -> {
                if (k.key() == null) throw TernException.invalid("a send by key needs a key");
                yield KeyHash.queueOf(k.key(), queues);
            }
            case QueueTarget.RoundRobin r -> Math.floorMod(turns.computeIfAbsent(topic, t -> new AtomicInteger()).getAndIncrement(), queues);
        };
    }

    void forget(String topic) {
        turns.remove(topic);
    }
}
