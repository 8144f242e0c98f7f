package dev.tern.gateway.mqtt;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * Topic filters by level, so that matching a topic name costs its number of levels (times the wildcard
 * branches met on the way), never the number of subscriptions. Each filter holds values by owner key
 * (one per session, or per session and share group).
 * <p>
 * Writers ({@link #add}, {@link #remove}) are serialized; {@link #match} takes no lock and may run on any
 * thread concurrently with writers (it sees each value either before or after a change).
 *
 * @param <K> the owner key of a value
 * @param <V> the value (a subscription)
 */
final class TopicTrie<K, V> {

    private static final class Node<K, V> {
        final Map<String, Node<K, V>> children = new ConcurrentHashMap<>();
        final Map<K, V> values = new ConcurrentHashMap<>();

        boolean isEmpty() {
            return children.isEmpty() && values.isEmpty();
        }
    }

    private final Node<K, V> root = new Node<>();

    /** Sets the value of {@code owner} on {@code filter}; answers the value it replaced, or null. */
    synchronized V add(String filter, K owner, V value) {
        Node<K, V> n = root;
        for (String level : filter.split("/", -1)) n = n.children.computeIfAbsent(level, l -> new Node<>());
        return n.values.put(owner, value);
    }

    /** Removes the value of {@code owner} on {@code filter}; answers it, or null. Prunes empty nodes. */
    synchronized V remove(String filter, K owner) {
        return remove(root, filter.split("/", -1), 0, owner);
    }

    private V remove(Node<K, V> n, String[] levels, int i, K owner) {
        if (i == levels.length) return n.values.remove(owner);
        Node<K, V> child = n.children.get(levels[i]);
        if (child == null) return null;
        V removed = remove(child, levels, i + 1, owner);
        if (child.isEmpty()) n.children.remove(levels[i]);
        return removed;
    }

    /** Calls {@code visitor} with every (owner, value) whose filter matches the topic name {@code name}. */
    void match(String name, BiConsumer<K, V> visitor) {
        String[] levels = levels(name);
        // [MQTT-4.7.2-1]: a wildcard first level does not match names starting with '$'
        boolean dollar = name.startsWith("$");
        match(root, levels, 0, dollar, visitor);
    }

    /** A topic name by level; the last split is kept, as a reader routes runs of messages of one name. */
    private String[] levels(String name) {
        Split last = lastSplit;
        if (last != null && last.name.equals(name)) return last.levels;
        String[] levels = name.split("/", -1);
        lastSplit = new Split(name, levels);
        return levels;
    }

    private record Split(String name, String[] levels) {
    }

    /** Shared by the threads that match: a stale or lost update only costs a split. */
    private volatile Split lastSplit;

    private void match(Node<K, V> n, String[] levels, int i, boolean dollar, BiConsumer<K, V> visitor) {
        boolean wildcardsAllowed = !(dollar && i == 0);
        Node<K, V> hash = wildcardsAllowed ? n.children.get("#") : null;
        if (hash != null) hash.values.forEach(visitor);
        if (i == levels.length) {
            n.values.forEach(visitor);
            return;
        }
        Node<K, V> exact = n.children.get(levels[i]);
        if (exact != null) match(exact, levels, i + 1, dollar, visitor);
        Node<K, V> plus = wildcardsAllowed ? n.children.get("+") : null;
        if (plus != null) match(plus, levels, i + 1, dollar, visitor);
    }
}
