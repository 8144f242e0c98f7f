package dev.tern.engine;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Layout of the FIFO message-group state of {@link AckConsumer} pops in the metadata area, next to
 * {@link PopKeys} ({@code G} is a message group, written {@code int length | UTF-8 bytes}, so any text
 * is a group; the consumer group and topic are separated by a 0 byte as in PopKeys):
 * <ul>
 *   <li>{@code pop/f/l/ | group 0 topic 0 | int queue | G} → long offset: the message group's lock, held by
 *       its one message in flight (handed out, or waiting for its redelivery);</li>
 *   <li>{@code pop/f/h/ | group 0 topic 0 | int queue | long offset} → G: the same lock read from the
 *       message, so an ack finds the group it releases;</li>
 *   <li>{@code pop/f/w/ | group 0 topic 0 | int queue | G | long offset} → empty: a message of a locked
 *       group, passed by the cursor, waiting in offset order for the group's lock.</li>
 * </ul>
 */
final class FifoKeys {
    static final byte[] LOCK = ascii("pop/f/l/"), HEAD = ascii("pop/f/h/"), WAITING = ascii("pop/f/w/");

    private FifoKeys() {
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] base(byte[] kind, String group, String topic, int queue, int extra) {
        byte[] n = (group + '\0' + topic).getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(kind.length + n.length + 5 + extra).put(kind).put(n).put((byte) 0).putInt(queue).array();
    }

    private static ByteBuffer withGroup(byte[] kind, String group, String topic, int queue, String fifoGroup, int extra) {
        byte[] g = fifoGroup.getBytes(StandardCharsets.UTF_8);
        byte[] b = base(kind, group, topic, queue, 4 + g.length + extra);
        ByteBuffer buf = ByteBuffer.wrap(b);
        buf.position(b.length - 4 - g.length - extra);
        return buf.putInt(g.length).put(g);
    }

    static byte[] lock(String group, String topic, int queue, String fifoGroup) {
        return withGroup(LOCK, group, topic, queue, fifoGroup, 0).array();
    }

    static byte[] head(String group, String topic, int queue, long offset) {
        byte[] b = base(HEAD, group, topic, queue, 8);
        return ByteBuffer.wrap(b).putLong(b.length - 8, offset).array();
    }

    static byte[] waitingPrefix(String group, String topic, int queue, String fifoGroup) {
        return withGroup(WAITING, group, topic, queue, fifoGroup, 0).array();
    }

    static byte[] waiting(String group, String topic, int queue, String fifoGroup, long offset) {
        return withGroup(WAITING, group, topic, queue, fifoGroup, 8).putLong(offset).array();
    }

    static long waitingOffset(byte[] key) {
        return ByteBuffer.wrap(key, key.length - 8, 8).getLong();
    }

    static byte[] groupValue(String fifoGroup) {
        return fifoGroup.getBytes(StandardCharsets.UTF_8);
    }

    static String groupOf(byte[] value) {
        return new String(value, StandardCharsets.UTF_8);
    }
}
