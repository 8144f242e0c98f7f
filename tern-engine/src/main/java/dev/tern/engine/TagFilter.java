package dev.tern.engine;

import dev.tern.common.codec.RecordCodec;
import dev.tern.common.error.TernException;
import dev.tern.store.api.StoredRecord;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * A parsed tag expression: {@code *} (everything) or tags joined by {@code ||}, with any whitespace
 * around them ({@code "A || B||C"}). The store filters by tag hash from its index; since two tags may
 * share a hash, {@link #retain} then checks each returned record's real tag.
 */
final class TagFilter {
    static final TagFilter ALL = new TagFilter(Set.of(), new int[0]);

    private final Set<String> tags;
    private final int[] hashes;

    private TagFilter(Set<String> tags, int[] hashes) {
        this.tags = tags;
        this.hashes = hashes;
    }

    /**
     * Parses an expression; null and {@code *} mean every message. A {@code *} among other tags also
     * means every message.
     *
     * @throws TernException INVALID_ARGUMENT naming the position (0-based) of an empty tag or a stray {@code |}
     */
    static TagFilter parse(String expression) {
        if (expression == null || expression.strip().equals("*")) return ALL;
        Set<String> tags = new LinkedHashSet<>();
        int start = 0;
        while (true) {
            int bar = expression.indexOf("||", start);
            int end = bar < 0 ? expression.length() : bar;
            String raw = expression.substring(start, end);
            String tag = raw.strip();
            int at = start + leadingSpace(raw);
            if (tag.isEmpty()) throw bad(expression, at, "an empty tag");
            int stray = tag.indexOf('|');
            if (stray >= 0) throw bad(expression, at + stray, "a single '|'");
            if (tag.equals("*")) return ALL;
            tags.add(tag);
            if (bar < 0) break;
            start = bar + 2;
        }
        int[] hashes = tags.stream().mapToInt(RecordCodec::tagHash).distinct().sorted().toArray();
        return new TagFilter(Set.copyOf(tags), hashes);
    }

    private static int leadingSpace(String s) {
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        return i;
    }

    private static TernException bad(String expression, int position, String what) {
        return TernException.invalid("bad tag expression '" + expression + "': " + what + " at position " + position
                + " (write '*', 'TagA' or 'TagA || TagB')");
    }

    boolean all() {
        return tags.isEmpty();
    }

    Set<String> tags() {
        return tags;
    }

    /** The store-side filter on tag hashes; null for every message. */
    IntPredicate hashPredicate() {
        if (all()) return null;
        int[] h = hashes;
        return hash -> Arrays.binarySearch(h, hash) >= 0;
    }

    /** The records whose real tag the expression names (all of them for {@code *}). */
    List<StoredRecord> retain(List<StoredRecord> records) {
        if (all()) return records;
        List<StoredRecord> kept = new ArrayList<>(records.size());
        for (StoredRecord r : records) {
            String tag = RecordCodec.tag(r.buffer(), r.buffer().position());
            if (tag != null && tags.contains(tag)) kept.add(r);
        }
        return kept.size() == records.size() ? records : kept;
    }

    @Override
    public String toString() {
        return all() ? "*" : String.join(" || ", tags);
    }
}
