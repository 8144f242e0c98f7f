package dev.tern.engine;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Layout of the timer store in the metadata area: {@code "timer/" | long due (epoch ms, big-endian) |
 * long incarnation | long counter}. Metadata keys sort as unsigned bytes, so for non-negative times the
 * entries sort by due time, and "everything due by now" is one range scan from the prefix up to
 * {@code key(now + 1)}: the timer never looks at entries that are not due. The incarnation (the engine's
 * start time) and a counter make keys unique across restarts without any stored counter.
 */
final class TimerKeys {
    static final byte[] PREFIX = "timer/".getBytes(StandardCharsets.US_ASCII);
    static final int SIZE = PREFIX.length + 24;

    private TimerKeys() {
    }

    static byte[] key(long dueMs, long incarnation, long counter) {
        return ByteBuffer.allocate(SIZE).put(PREFIX).putLong(dueMs).putLong(incarnation).putLong(counter).array();
    }

    /** The exclusive upper bound of entries due at or before {@code nowMs}. */
    static byte[] dueBy(long nowMs) {
        return ByteBuffer.allocate(PREFIX.length + 8).put(PREFIX).putLong(nowMs + 1).array();
    }

    /** The exclusive upper bound of the whole timer store ("timer0": '0' follows '/'). */
    static byte[] end() {
        byte[] end = PREFIX.clone();
        end[end.length - 1]++;
        return end;
    }

    static long dueOf(byte[] key) {
        return ByteBuffer.wrap(key, PREFIX.length, 8).getLong();
    }
}
