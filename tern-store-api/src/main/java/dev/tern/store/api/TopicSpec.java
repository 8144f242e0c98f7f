package dev.tern.store.api;

import java.util.Map;

/**
 * What to create: a topic name, its number of queues (1 to 1024) and per-topic configuration
 * (free-form string keys, kept verbatim and returned by {@link TopicCatalog#describe}).
 */
public record TopicSpec(String name, int queues, Map<String, String> config) {
    public static final int MAX_QUEUES = 1024;

    public TopicSpec {
        config = config == null ? Map.of() : Map.copyOf(config);
    }

    public TopicSpec(String name, int queues) {
        this(name, queues, Map.of());
    }
}
