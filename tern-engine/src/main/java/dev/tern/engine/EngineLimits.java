package dev.tern.engine;

import dev.tern.common.error.TernException;
import dev.tern.store.api.TopicSpec;

/**
 * The engine's bounds on what clients can make it hold, validated with the engine's settings. Reaching one
 * fails the request with LIMIT_EXCEEDED, in a message that names the key.
 *
 * @param maxTopics      topics on the node, created explicitly or on first send ({@code topic.max.count}, default 10000)
 * @param maxQueues      queues of one topic ({@code topic.max.queues}, default 1024, the store's own ceiling)
 * @param maxLongPolls   pulls, pops and transaction check polls waiting at once for something to arrive
 *                       ({@code pull.max.waiting}, default 100000); requests that do not wait are not counted
 */
public record EngineLimits(int maxTopics, int maxQueues, int maxLongPolls) {

    public static EngineLimits defaults() {
        return new EngineLimits(10_000, TopicSpec.MAX_QUEUES, 100_000);
    }

    public EngineLimits validate() {
        if (maxTopics < 1) throw TernException.invalid("topic.max.count must be positive, got " + maxTopics);
        if (maxQueues < 1 || maxQueues > TopicSpec.MAX_QUEUES) {
            throw TernException.invalid("topic.max.queues must be 1 to " + TopicSpec.MAX_QUEUES + ", got " + maxQueues);
        }
        if (maxLongPolls < 1) throw TernException.invalid("pull.max.waiting must be positive, got " + maxLongPolls);
        return this;
    }

    public EngineLimits withMaxTopics(int v) {
        return new EngineLimits(v, maxQueues, maxLongPolls);
    }

    public EngineLimits withMaxQueues(int v) {
        return new EngineLimits(maxTopics, v, maxLongPolls);
    }

    public EngineLimits withMaxLongPolls(int v) {
        return new EngineLimits(maxTopics, maxQueues, v);
    }
}
