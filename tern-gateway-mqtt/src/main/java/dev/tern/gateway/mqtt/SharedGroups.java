package dev.tern.gateway.mqtt;

import dev.tern.engine.Engine;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * The share groups of this node's shared subscriptions, each an engine consumer group member
 * ({@link SharedGroup}), joined with the Tern topics of the group's local filters. A filter whose first
 * level is a wildcard cannot name its topics; such shared subscriptions are served on this node only
 * (one session of the group in turn), from the shared topic readers.
 */
final class SharedGroups {
    private final Engine engine;
    private final Executor executor;
    private Sessions sessions;
    private final Map<String, SharedGroup> groups = new ConcurrentHashMap<>();
    /** Per share group, the Tern topics its local subscriptions need, with a count of subscriptions each. */
    private final Map<String, Map<String, Integer>> topics = new HashMap<>();

    SharedGroups(Engine engine, Executor executor) {
        this.engine = engine;
        this.executor = executor;
    }

    void bind(Sessions s) {
        this.sessions = s;
    }

    /** Whether a shared subscription on {@code filter} is served through an engine group. */
    static boolean viaEngine(String filter) {
        return !TopicNames.rootWildcard(filter) && !SysTopics.isSys(filter);
    }

    synchronized void added(String share, String filter) {
        if (!viaEngine(filter)) return;
        topics.computeIfAbsent(share, k -> new HashMap<>()).merge(TopicMapping.ternTopic(filter), 1, Integer::sum);
        update(share);
    }

    synchronized void removed(String share, String filter) {
        if (!viaEngine(filter)) return;
        Map<String, Integer> t = topics.get(share);
        if (t == null) return;
        t.computeIfPresent(TopicMapping.ternTopic(filter), (k, n) -> n > 1 ? n - 1 : null);
        update(share);
        if (t.isEmpty()) topics.remove(share);
    }

    void heartbeat() {
        groups.values().forEach(SharedGroup::heartbeat);
    }

    void close() {
        groups.values().forEach(SharedGroup::close);
    }

    private void update(String share) {
        SharedGroup g = groups.computeIfAbsent(share, k -> new SharedGroup(k, engine, sessions, executor));
        g.update(topics.getOrDefault(share, Map.of()).keySet());
    }
}
