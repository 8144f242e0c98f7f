package dev.tern.engine;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Layout of the ack/redelivery state in the metadata area (group and topic names never hold a 0 byte, so
 * it separates them):
 * <ul>
 *   <li>{@code pop/c/ | group 0 topic 0 | int queue} → long: the next offset a pop takes new messages from;</li>
 *   <li>{@code pop/i/ | long deadline | int queue | long offset | group 0 topic} → int attempt: a message
 *       handed out and not acked, invisible until the deadline; sorted by deadline, so the reviver reads
 *       only what expired;</li>
 *   <li>{@code pop/r/ | group 0 topic 0 | int queue | long offset} → int attempt: a message whose deadline
 *       passed (or that was nacked), waiting to be handed out again by the next pop of its queue.</li>
 * </ul>
 */
final class PopKeys {
    static final byte[] CURSOR = ascii("pop/c/"), INVISIBLE = ascii("pop/i/"), READY = ascii("pop/r/");

    private PopKeys() {
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] names(String group, String topic) {
        return (group + '\0' + topic).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] cursor(String group, String topic, int queue) {
        byte[] n = names(group, topic);
        return ByteBuffer.allocate(CURSOR.length + n.length + 5).put(CURSOR).put(n).put((byte) 0).putInt(queue).array();
    }

    static byte[] invisible(long deadline, String group, String topic, int queue, long offset) {
        byte[] n = names(group, topic);
        return ByteBuffer.allocate(INVISIBLE.length + 20 + n.length).put(INVISIBLE).putLong(deadline).putInt(queue).putLong(offset).put(n).array();
    }

    /** The exclusive upper bound of invisible entries whose deadline is at or before {@code nowMs}. */
    static byte[] invisibleDueBy(long nowMs) {
        return ByteBuffer.allocate(INVISIBLE.length + 8).put(INVISIBLE).putLong(nowMs + 1).array();
    }

    static byte[] readyPrefix(String group, String topic, int queue) {
        byte[] n = names(group, topic);
        return ByteBuffer.allocate(READY.length + n.length + 5).put(READY).put(n).put((byte) 0).putInt(queue).array();
    }

    static byte[] ready(String group, String topic, int queue, long offset) {
        byte[] p = readyPrefix(group, topic, queue);
        return ByteBuffer.allocate(p.length + 8).put(p).putLong(offset).array();
    }

    /** The first key after every key that starts with {@code prefix}. */
    static byte[] after(byte[] prefix) {
        byte[] end = prefix.clone();
        for (int i = end.length - 1; i >= 0; i--) {
            if (++end[i] != 0) return end;
        }
        throw new IllegalArgumentException("no key follows an all-0xFF prefix");
    }

    /** An invisible entry's key read back. */
    record Invisible(long deadline, int queue, long offset, String group, String topic) {
        static Invisible of(byte[] key) {
            ByteBuffer b = ByteBuffer.wrap(key, INVISIBLE.length, key.length - INVISIBLE.length);
            long deadline = b.getLong();
            int queue = b.getInt();
            long offset = b.getLong();
            String n = new String(key, b.position(), b.remaining(), StandardCharsets.UTF_8);
            int zero = n.indexOf('\0');
            return new Invisible(deadline, queue, offset, n.substring(0, zero), n.substring(zero + 1));
        }
    }

    static long readyOffset(byte[] key) {
        return ByteBuffer.wrap(key, key.length - 8, 8).getLong();
    }

    static byte[] intValue(int v) {
        return ByteBuffer.allocate(4).putInt(v).array();
    }

    static int intOf(byte[] v) {
        return ByteBuffer.wrap(v).getInt();
    }

    static byte[] longValue(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }

    static long longOf(byte[] v) {
        return ByteBuffer.wrap(v).getLong();
    }
}
