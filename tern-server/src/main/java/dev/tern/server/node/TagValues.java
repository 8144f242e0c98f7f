package dev.tern.server.node;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The values of one meter tag (topics, groups) that get meters of their own: at most {@code max}
 * ({@code metrics.max.tag.values}); further values share the tag value {@link #OTHER}, so that no client can
 * grow the registry (and every scrape) with names of its own making.
 */
final class TagValues {
    /** The tag value that stands for every value past the cap. */
    static final String OTHER = "_other";

    private final int max;
    private final Set<String> admitted = ConcurrentHashMap.newKeySet();

    TagValues(int max) {
        this.max = max;
    }

    /** {@code value} itself if it has or gets its own meters, else {@link #OTHER}. */
    String of(String value) {
        if (admitted.contains(value)) return value;
        if (admitted.size() >= max) return OTHER;
        admitted.add(value); // racing admissions may pass the cap by the number of threads, never by more
        return value;
    }

    /** Frees the place of a value whose meters were removed (a deleted topic). */
    void forget(String value) {
        admitted.remove(value);
    }

    int size() {
        return admitted.size();
    }
}
