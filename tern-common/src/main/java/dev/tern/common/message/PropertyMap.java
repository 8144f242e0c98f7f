package dev.tern.common.message;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The properties of a message: an immutable map that keeps the order its entries were given in, held as
 * one array of names and values. A message carries a handful of properties, and every one of them is
 * encoded, decoded or looked up on the hot paths: a linear search of a few strings beats hashing them,
 * and walking an array beats {@code Map.of}'s probing iterator (both showed in profiles of the send
 * path). A map with many entries gets a hash index on its first lookup.
 * <p>
 * Null names and values are refused, as by {@link Map#copyOf}.
 */
public final class PropertyMap extends AbstractMap<String, String> {
    private static final PropertyMap EMPTY = new PropertyMap(new String[0], 0);
    /** From this many entries on, lookups go through a hash index. */
    private static final int INDEXED_FROM = 16;

    /** name0, value0, name1, value1, ... (only the first 2 * size slots are used) */
    private final String[] pairs;
    private final int size;
    private volatile Map<String, Integer> index;
    private Set<Entry<String, String>> entries;

    private PropertyMap(String[] pairs, int size) {
        this.pairs = pairs;
        this.size = size;
    }

    public static PropertyMap of() {
        return EMPTY;
    }

    /** name, value, name, value..., in this order (a repeated name as in {@link #ofPairs}). */
    public static PropertyMap of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) throw new IllegalArgumentException("names and values must pair up");
        return ofPairs(namesAndValues.clone(), namesAndValues.length / 2);
    }

    /**
     * As {@link #of(String...)} for a caller whose names are distinct by construction (constants), on a path
     * where checking them showed in profiles; the array is taken over, not copied.
     */
    public static PropertyMap ofDistinct(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) throw new IllegalArgumentException("names and values must pair up");
        for (String s : namesAndValues) Objects.requireNonNull(s, "property name or value");
        return namesAndValues.length == 0 ? EMPTY : new PropertyMap(namesAndValues, namesAndValues.length / 2);
    }

    /** The map itself when it is a PropertyMap already, else a copy in its iteration order. */
    public static PropertyMap copyOf(Map<String, String> map) {
        if (map instanceof PropertyMap p) return p;
        if (map.isEmpty()) return EMPTY;
        String[] pairs = new String[map.size() * 2];
        int i = 0;
        for (Entry<String, String> e : map.entrySet()) {
            pairs[i++] = Objects.requireNonNull(e.getKey(), "property name");
            pairs[i++] = Objects.requireNonNull(e.getValue(), "property value");
        }
        return new PropertyMap(pairs, map.size()); // a Map's names are distinct already
    }

    /**
     * Takes over {@code pairs} (name, value, ...; the first {@code size} pairs are used) without copying it:
     * for decoders that built the array themselves. A repeated name keeps its first place and its last value.
     */
    public static PropertyMap ofPairs(String[] pairs, int size) {
        if (size == 0) return EMPTY;
        for (int i = 0; i < size * 2; i++) Objects.requireNonNull(pairs[i], i % 2 == 0 ? "property name" : "property value");
        if (!distinct(pairs, size)) {
            Map<String, String> m = new java.util.LinkedHashMap<>();
            for (int i = 0; i < size; i++) m.put(pairs[2 * i], pairs[2 * i + 1]);
            return copyOf(m);
        }
        return new PropertyMap(pairs, size);
    }

    private static boolean distinct(String[] pairs, int size) {
        if (size < INDEXED_FROM) {
            for (int i = 1; i < size; i++) {
                String name = pairs[2 * i];
                int hash = name.hashCode(); // cached in the string: most pairs differ here
                for (int j = 0; j < i; j++) if (hash == pairs[2 * j].hashCode() && name.equals(pairs[2 * j])) return false;
            }
            return true;
        }
        java.util.HashSet<String> seen = new java.util.HashSet<>(size * 2);
        for (int i = 0; i < size; i++) if (!seen.add(pairs[2 * i])) return false;
        return true;
    }

    /** The name of entry {@code i} (in order, 0-based). */
    public String name(int i) {
        Objects.checkIndex(i, size);
        return pairs[2 * i];
    }

    /** The value of entry {@code i}. */
    public String value(int i) {
        Objects.checkIndex(i, size);
        return pairs[2 * i + 1];
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean isEmpty() {
        return size == 0;
    }

    @Override
    public String get(Object name) {
        int i = indexOf(name);
        return i < 0 ? null : pairs[2 * i + 1];
    }

    @Override
    public boolean containsKey(Object name) {
        return indexOf(name) >= 0;
    }

    private int indexOf(Object name) {
        if (name == null) return -1;
        if (size >= INDEXED_FROM) {
            Map<String, Integer> idx = index;
            if (idx == null) index = idx = buildIndex();
            Integer i = idx.get(name);
            return i == null ? -1 : i;
        }
        for (int i = 0; i < size; i++) if (pairs[2 * i].equals(name)) return i;
        return -1;
    }

    private Map<String, Integer> buildIndex() {
        Map<String, Integer> idx = new HashMap<>(size * 2);
        for (int i = 0; i < size; i++) idx.put(pairs[2 * i], i);
        return idx;
    }

    @Override
    public void forEach(BiConsumer<? super String, ? super String> action) {
        for (int i = 0; i < size; i++) action.accept(pairs[2 * i], pairs[2 * i + 1]);
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
        Set<Entry<String, String>> s = entries;
        if (s == null) entries = s = new Entries();
        return s;
    }

    private final class Entries extends AbstractSet<Entry<String, String>> {
        @Override
        public int size() {
            return size;
        }

        @Override
        public Iterator<Entry<String, String>> iterator() {
            return new Iterator<>() {
                private int next;

                @Override
                public boolean hasNext() {
                    return next < size;
                }

                @Override
                public Entry<String, String> next() {
                    if (next >= size) throw new NoSuchElementException();
                    int i = next++;
                    return new SimpleImmutableEntry<>(pairs[2 * i], pairs[2 * i + 1]);
                }
            };
        }
    }
}
