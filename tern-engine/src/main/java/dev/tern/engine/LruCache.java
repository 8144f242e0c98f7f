package dev.tern.engine;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * A cache of at most {@code maxWeight} in total, dropping its least recently used entries beyond that: for
 * state the store also keeps (or that can be rebuilt), so that what clients make the engine remember stays
 * within a bound however many of them there are. One lock; every call is short.
 */
final class LruCache<K, V> {
    private final LinkedHashMap<K, V> map = new LinkedHashMap<>(16, 0.75f, true); // guarded by this
    private final ToLongFunction<V> weigher;
    private final long maxWeight;
    private long weight; // guarded by this

    LruCache(long maxWeight, ToLongFunction<V> weigher) {
        this.maxWeight = maxWeight;
        this.weigher = weigher;
    }

    synchronized V get(K key) {
        return map.get(key);
    }

    /** Sets {@code key}, then drops the least recently used entries (this one last) while over the bound. */
    synchronized void put(K key, V value) {
        V old = map.put(key, value);
        if (old != null) weight -= weigher.applyAsLong(old);
        weight += weigher.applyAsLong(value);
        Iterator<Map.Entry<K, V>> eldest = map.entrySet().iterator();
        while (weight > maxWeight && eldest.hasNext()) {
            weight -= weigher.applyAsLong(eldest.next().getValue());
            eldest.remove();
        }
    }

    synchronized void remove(K key) {
        V old = map.remove(key);
        if (old != null) weight -= weigher.applyAsLong(old);
    }

    synchronized int size() {
        return map.size();
    }

    synchronized long weight() {
        return weight;
    }
}
