package dev.tern.engine;

import dev.tern.store.api.QueueRange;
import dev.tern.store.api.TopicInfo;

import java.util.List;

/** A topic with the current range of each of its queues (index = queue number). */
public record TopicDescription(TopicInfo info, List<QueueRange> queues) {

    public String name() {
        return info.name();
    }

    /** Messages currently kept, over all queues. */
    public long messages() {
        return queues.stream().mapToLong(QueueRange::count).sum();
    }
}
