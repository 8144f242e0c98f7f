package dev.tern.store.local;

import dev.tern.store.api.TopicInfo;
import dev.tern.store.local.queue.ConsumeQueue;

/** A live topic: its stored description and one consume queue per queue. */
final class TopicState {
    final TopicInfo info;
    final ConsumeQueue[] queues;
    /** Set (by the writer, see Appender) when the topic is deleted; appends then fail with TOPIC_NOT_FOUND. */
    volatile boolean deleted;

    TopicState(TopicInfo info, ConsumeQueue[] queues) {
        this.info = info;
        this.queues = queues;
    }

    String name() {
        return info.name();
    }
}
