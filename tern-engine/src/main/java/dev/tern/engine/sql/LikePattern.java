package dev.tern.engine.sql;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A compiled LIKE pattern ({@code %} any run, {@code _} any one character, the rest literal), matched without
 * backtracking: the pattern is cut at its {@code %}s into segments; the first segment must match at the start
 * (unless the pattern starts with {@code %}), the last at the end (unless it ends with {@code %}), and each
 * segment between is taken at its leftmost place after the previous one, which is enough for {@code %}. A
 * segment is found with the bit-parallel Shift-And algorithm, so a match costs O(n × ⌈k / 64⌉) for a value of
 * n characters and a longest segment of k: linear for any pattern up to 64 characters a segment, whatever its
 * {@code %}s and {@code _}s ({@code '%a%a%a%a%b'} against a long run of {@code a}s included). Characters are
 * Unicode code points, as in a regular expression. Immutable and thread-safe.
 */
final class LikePattern {
    /** Stands for {@code _} in a segment. */
    private static final int ANY = -1;

    private final Segment[] segments;
    private final boolean leadingRun, trailingRun;
    private final String text;

    private LikePattern(Segment[] segments, boolean leadingRun, boolean trailingRun, String text) {
        this.segments = segments;
        this.leadingRun = leadingRun;
        this.trailingRun = trailingRun;
        this.text = text;
    }

    /**
     * Compiles {@code pattern}; {@code escape} (or null) makes the character after it literal.
     *
     * @throws IllegalArgumentException when the pattern ends in its escape character
     */
    static LikePattern compile(String pattern, Character escape) {
        List<Segment> segments = new ArrayList<>();
        List<Integer> current = new ArrayList<>();
        boolean leading = false, trailing = false, any = false;
        for (int i = 0; i < pattern.length(); ) {
            int c = pattern.codePointAt(i);
            i += Character.charCount(c);
            if (escape != null && c == escape) {
                if (i >= pattern.length()) throw new IllegalArgumentException("a LIKE pattern ending in its escape character");
                int literal = pattern.codePointAt(i);
                i += Character.charCount(literal);
                current.add(literal);
            } else if (c == '%') {
                if (segments.isEmpty() && current.isEmpty()) leading = true;
                if (!current.isEmpty()) segments.add(new Segment(current));
                current.clear();
                any = true;
                trailing = true;
                continue;
            } else {
                current.add(c == '_' ? ANY : c);
            }
            trailing = false;
        }
        if (!current.isEmpty() || !any) segments.add(new Segment(current));
        return new LikePattern(segments.toArray(Segment[]::new), leading, trailing, pattern);
    }

    boolean matches(String s) {
        int n = segments.length;
        if (n == 0) return true; // only %s
        if (n == 1 && !leadingRun && !trailingRun) return segments[0].matchAt(s, 0) == s.length();
        int from = 0, first = 0, last = n, end = s.length();
        if (!leadingRun) {
            from = segments[0].matchAt(s, 0);
            if (from < 0) return false;
            first = 1;
        }
        if (!trailingRun) {
            int start = segments[n - 1].startOfSuffix(s);
            if (start < from || segments[n - 1].matchAt(s, start) != s.length()) return false;
            end = start;
            last = n - 1;
        }
        for (int i = first; i < last; i++) {
            from = segments[i].find(s, from, end);
            if (from < 0) return false;
        }
        return true;
    }

    @Override
    public String toString() {
        return text;
    }

    /** A run of literal code points and {@link #ANY}s between two {@code %}s, with its Shift-And masks. */
    private static final class Segment {
        private final int[] chars;
        private final int words;
        /** Per code point, the positions it matches (its own and every {@code _}); others match {@link #anyMask} only. */
        private final long[][] ascii = new long[128][];
        private final Map<Integer, long[]> others = new HashMap<>();
        private final long[] anyMask;

        Segment(List<Integer> codePoints) {
            chars = codePoints.stream().mapToInt(Integer::intValue).toArray();
            words = Math.max(1, (chars.length + 63) >>> 6);
            anyMask = new long[words];
            for (int i = 0; i < chars.length; i++) {
                if (chars[i] == ANY) anyMask[i >>> 6] |= 1L << i;
            }
            for (int i = 0; i < chars.length; i++) {
                if (chars[i] != ANY) maskOf(chars[i], true)[i >>> 6] |= 1L << i;
            }
        }

        private long[] maskOf(int c, boolean create) {
            long[] m = c < 128 ? ascii[c] : others.get(c);
            if (m != null || !create) return m == null ? anyMask : m;
            m = anyMask.clone();
            if (c < 128) ascii[c] = m;
            else others.put(c, m);
            return m;
        }

        /** Where this segment ends when it matches {@code s} at {@code at}; -1 when it does not. */
        int matchAt(String s, int at) {
            int i = at;
            for (int c : chars) {
                if (i >= s.length()) return -1;
                int actual = s.codePointAt(i);
                if (c != ANY && c != actual) return -1;
                i += Character.charCount(actual);
            }
            return i;
        }

        /** Where the last {@code chars.length} code points of {@code s} start; -1 when it has fewer. */
        int startOfSuffix(String s) {
            int i = s.length();
            for (int k = 0; k < chars.length; k++) {
                if (i <= 0) return -1;
                i -= Character.charCount(s.codePointBefore(i));
            }
            return i;
        }

        /** Where the leftmost match within {@code s[from, to)} ends; -1 when there is none (Shift-And). */
        int find(String s, int from, int to) {
            long[] state = new long[words];
            int top = chars.length - 1;
            long topBit = 1L << (top & 63);
            for (int i = from; i < to; ) {
                int c = s.codePointAt(i);
                i += Character.charCount(c);
                long[] mask = maskOf(c, false);
                long carry = 1;
                for (int w = 0; w < words; w++) {
                    long shifted = (state[w] << 1) | carry;
                    carry = state[w] >>> 63;
                    state[w] = shifted & mask[w];
                }
                if ((state[top >>> 6] & topBit) != 0) return i;
            }
            return -1;
        }
    }
}
