package dev.tern.common.codec;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.common.message.Message;
import dev.tern.common.message.MessageId;
import dev.tern.common.message.PropertyMap;
import dev.tern.common.message.StoredMessage;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The binary form of one stored message, the same on disk and on the wire (a consume response sends
 * stored records as they are). Big-endian, version 1:
 *
 * <pre>
 *  0 int   totalSize     size of the whole record, this field included
 *  4 int   crc32c        CRC32C of bytes [8, totalSize)
 *  8 byte  version       1
 *  9 byte  flags         0 (reserved)
 * 10 int   topicId       the topic's incarnation id (a re-created topic gets a new one)
 * 14 int   queue
 * 18 long  queueOffset
 * 26 long  bornTimestamp
 * 34 long  storeTimestamp
 * 42 long  producerId
 * 50 long  sequence
 * 58 long  messageId.high
 * 66 long  messageId.low
 * 74 u16 topic length, topic (UTF-8)
 *    u16 tag length (0: no tag), tag
 *    u16 key count, then per key: u16 length, key
 *    u16 property count, then per property: u16 name length, name, int value length, value
 *    int body length, body
 * </pre>
 *
 * A record is prepared once by the producing thread ({@link #prepare}); the single writer then stamps the
 * fields only it knows (offset, timestamp, id) and the CRC ({@link #stamp}).
 */
public final class RecordCodec {
    public static final int VERSION = 1;
    public static final int HEADER_SIZE = 74;
    /** Written in place of a size at the end of a log segment: the log continues in the next segment. */
    public static final int END_OF_SEGMENT = -1;

    static final int OFF_SIZE = 0, OFF_CRC = 4, OFF_VERSION = 8, OFF_TOPIC_ID = 10, OFF_QUEUE = 14,
            OFF_QUEUE_OFFSET = 18, OFF_BORN = 26, OFF_STORE_TS = 34, OFF_PRODUCER = 42, OFF_SEQUENCE = 50,
            OFF_ID_HIGH = 58, OFF_ID_LOW = 66;

    private RecordCodec() {
    }

    /**
     * Encodes everything the producer knows; the stamped fields are left zero.
     *
     * @throws TernException INVALID_ARGUMENT when a string is too long for its u16 length
     */
    public static byte[] prepare(Message m, String topic, int topicId, int queue) {
        return prepare(m, utf8("topic", topic), topicId, queue);
    }

    /** The topic's name as {@link #prepare(Message, byte[], int, int)} takes it (a batch encodes it once); read it only. */
    public static byte[] topicBytes(String topic) {
        return utf8("topic", topic);
    }

    /**
     * As {@link #prepare(Message, String, int, int)}, with the topic name already encoded
     * ({@link #topicBytes}). Encodes each string once and writes straight into the record's array.
     */
    public static byte[] prepare(Message m, byte[] topic, int topicId, int queue) {
        List<String> keys = m.keys();
        Map<String, String> props = m.properties();
        if (keys.size() > 0xFFFF || props.size() > 0xFFFF) {
            throw TernException.invalid("too many keys or properties");
        }
        Strings strings = strings();
        byte[] tag = m.tag() == null ? NOTHING : utf8("tag", m.tag(), strings);
        // keys, then property names and values alternating
        byte[][] parts = new byte[keys.size() + 2 * props.size()][];
        int n = 0;
        for (String k : keys) parts[n++] = utf8("key", k, strings);
        if (props instanceof PropertyMap pm) {
            for (int i = 0; i < pm.size(); i++) {
                parts[n++] = utf8("property name", pm.name(i), strings);
                parts[n++] = strings.utf8(pm.value(i));
            }
        } else {
            for (Map.Entry<String, String> e : props.entrySet()) {
                parts[n++] = utf8("property name", e.getKey(), strings);
                parts[n++] = e.getValue() == null ? NOTHING : strings.utf8(e.getValue());
            }
        }
        long size = HEADER_SIZE + 2L + topic.length + 2 + tag.length + 2 + 2L * keys.size() + 2 + 6L * props.size()
                + 4 + m.body().length;
        for (byte[] part : parts) size += part.length;
        if (size > Integer.MAX_VALUE - 16) throw TernException.invalid("a record of " + size + " bytes is too large");
        byte[] r = new byte[(int) size];
        INT_BE.set(r, OFF_SIZE, (int) size);
        r[OFF_VERSION] = VERSION;
        INT_BE.set(r, OFF_TOPIC_ID, topicId);
        INT_BE.set(r, OFF_QUEUE, queue);
        LONG_BE.set(r, OFF_BORN, m.bornTimestamp());
        LONG_BE.set(r, OFF_PRODUCER, m.producerId());
        LONG_BE.set(r, OFF_SEQUENCE, m.sequence());
        int p = shortPrefixed(r, HEADER_SIZE, topic);
        p = shortPrefixed(r, p, tag);
        SHORT_BE.set(r, p, (short) keys.size());
        p += 2;
        int i = 0;
        for (; i < keys.size(); i++) p = shortPrefixed(r, p, parts[i]);
        SHORT_BE.set(r, p, (short) props.size());
        p += 2;
        for (; i < parts.length; i += 2) {
            p = shortPrefixed(r, p, parts[i]);
            p = intPrefixed(r, p, parts[i + 1]);
        }
        intPrefixed(r, p, m.body());
        return r;
    }

    private static final byte[] NOTHING = new byte[0];

    private static int shortPrefixed(byte[] r, int p, byte[] b) {
        SHORT_BE.set(r, p, (short) b.length);
        System.arraycopy(b, 0, r, p + 2, b.length);
        return p + 2 + b.length;
    }

    private static int intPrefixed(byte[] r, int p, byte[] b) {
        INT_BE.set(r, p, b.length);
        System.arraycopy(b, 0, r, p + 4, b.length);
        return p + 4 + b.length;
    }

    /**
     * Fills in the fields the writer decides and the CRC, for the record at {@code pos} of {@code buf}
     * (absolute indexes; the buffer's position is not moved).
     */
    public static void stamp(ByteBuffer buf, int pos, long queueOffset, long storeTimestamp, MessageId id, CRC32C crc) {
        buf.putLong(pos + OFF_QUEUE_OFFSET, queueOffset);
        buf.putLong(pos + OFF_STORE_TS, storeTimestamp);
        buf.putLong(pos + OFF_ID_HIGH, id.high());
        buf.putLong(pos + OFF_ID_LOW, id.low());
        int size = buf.getInt(pos + OFF_SIZE);
        buf.putInt(pos + OFF_CRC, crc(buf, pos, size, crc));
    }

    /**
     * As {@link #stamp(ByteBuffer, int, long, long, MessageId, CRC32C)}, for a record still in the array
     * {@link #prepare} made (the writer stamps it there, then copies it): no buffer view to allocate per record.
     */
    public static void stamp(byte[] rec, long queueOffset, long storeTimestamp, MessageId id, CRC32C crc) {
        LONG_BE.set(rec, OFF_QUEUE_OFFSET, queueOffset);
        LONG_BE.set(rec, OFF_STORE_TS, storeTimestamp);
        LONG_BE.set(rec, OFF_ID_HIGH, id.high());
        LONG_BE.set(rec, OFF_ID_LOW, id.low());
        crc.reset();
        crc.update(rec, OFF_VERSION, rec.length - OFF_VERSION);
        INT_BE.set(rec, OFF_CRC, (int) crc.getValue());
    }

    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle SHORT_BE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);

    private static int crc(ByteBuffer buf, int pos, int size, CRC32C crc) {
        crc.reset();
        if (buf.hasArray()) crc.update(buf.array(), buf.arrayOffset() + pos + OFF_VERSION, size - OFF_VERSION);
        else crc.update(buf.slice(pos + OFF_VERSION, size - OFF_VERSION));
        return (int) crc.getValue();
    }

    /** What {@link #check} found at a position of a log. */
    public enum Check { VALID, END, END_OF_SEGMENT, INVALID }

    /**
     * Checks the record at absolute index {@code pos} of {@code buf} without decoding it: VALID when size,
     * version and CRC hold; END when nothing was written there (size 0); END_OF_SEGMENT for the roll
     * marker; INVALID for a torn or corrupt record (bad size, version or CRC).
     */
    public static Check check(ByteBuffer buf, int pos, int limit, CRC32C crc) {
        if (limit - pos < 4) return Check.END;
        int size = buf.getInt(pos);
        if (size == 0) return Check.END;
        if (size == END_OF_SEGMENT) return Check.END_OF_SEGMENT;
        if (size < HEADER_SIZE + 12 || size > limit - pos) return Check.INVALID;
        if (buf.get(pos + OFF_VERSION) != VERSION) return Check.INVALID;
        return crc(buf, pos, size, crc) == buf.getInt(pos + OFF_CRC) ? Check.VALID : Check.INVALID;
    }

    public static int size(ByteBuffer buf, int pos) {
        return buf.getInt(pos + OFF_SIZE);
    }

    public static int topicId(ByteBuffer buf, int pos) {
        return buf.getInt(pos + OFF_TOPIC_ID);
    }

    public static int queue(ByteBuffer buf, int pos) {
        return buf.getInt(pos + OFF_QUEUE);
    }

    public static long queueOffset(ByteBuffer buf, int pos) {
        return buf.getLong(pos + OFF_QUEUE_OFFSET);
    }

    public static long storeTimestamp(ByteBuffer buf, int pos) {
        return buf.getLong(pos + OFF_STORE_TS);
    }

    public static MessageId messageId(ByteBuffer buf, int pos) {
        return new MessageId(buf.getLong(pos + OFF_ID_HIGH), buf.getLong(pos + OFF_ID_LOW));
    }

    /** The hash of a tag as kept in the consume index; 0 for no tag. */
    public static int tagHash(String tag) {
        return tag == null || tag.isEmpty() ? 0 : tag.hashCode();
    }

    /** The tag of the record at {@code pos}, or null; reads only the header and the topic. */
    public static String tag(ByteBuffer buf, int pos) {
        int p = pos + HEADER_SIZE;
        p += 2 + Short.toUnsignedInt(buf.getShort(p));
        int len = Short.toUnsignedInt(buf.getShort(p));
        return len == 0 ? null : string(buf, p + 2, len);
    }

    /** The keys of the record at {@code pos}. */
    public static List<String> keys(ByteBuffer buf, int pos) {
        int p = pos + HEADER_SIZE;
        p += 2 + Short.toUnsignedInt(buf.getShort(p));
        p += 2 + Short.toUnsignedInt(buf.getShort(p));
        int n = Short.toUnsignedInt(buf.getShort(p));
        p += 2;
        if (n == 0) return List.of(); // most records: the index dispatcher asks for every one
        List<String> keys = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int len = Short.toUnsignedInt(buf.getShort(p));
            keys.add(string(buf, p + 2, len));
            p += 2 + len;
        }
        return keys;
    }

    /**
     * The properties of the record at {@code pos}, without decoding its body (for filters that look only
     * at properties).
     */
    public static Map<String, String> properties(ByteBuffer buf, int pos) {
        int p = pos + HEADER_SIZE;
        p += 2 + Short.toUnsignedInt(buf.getShort(p));
        p += 2 + Short.toUnsignedInt(buf.getShort(p));
        int n = Short.toUnsignedInt(buf.getShort(p));
        p += 2;
        for (int i = 0; i < n; i++) p += 2 + Short.toUnsignedInt(buf.getShort(p));
        n = Short.toUnsignedInt(buf.getShort(p));
        p += 2;
        String[] pairs = new String[2 * n];
        readPairs(buf, p, n, pairs, strings());
        return PropertyMap.ofPairs(pairs, n);
    }

    /** Reads {@code n} encoded properties from {@code p} into {@code pairs} (name, value, ...); answers where they end. */
    private static int readPairs(ByteBuffer buf, int p, int n, String[] pairs, Strings strings) {
        for (int i = 0; i < n; i++) {
            int len = Short.toUnsignedInt(buf.getShort(p));
            pairs[2 * i] = string(buf, p + 2, len, strings);
            p += 2 + len;
            len = buf.getInt(p);
            pairs[2 * i + 1] = string(buf, p + 4, len, strings);
            p += 4 + len;
        }
        return p;
    }

    /**
     * Decodes the record at absolute index {@code pos}. The caller has checked it (CRC); a record whose
     * lengths do not add up still fails with CORRUPT_RECORD rather than an index error.
     */
    public static StoredMessage decode(ByteBuffer buf, int pos) {
        try {
            int size = buf.getInt(pos);
            int end = pos + size;
            Strings strings = strings();
            int p = pos + HEADER_SIZE;
            int len = Short.toUnsignedInt(buf.getShort(p));
            String topic = string(buf, p + 2, len, strings);
            p += 2 + len;
            len = Short.toUnsignedInt(buf.getShort(p));
            String tag = len == 0 ? null : string(buf, p + 2, len, strings);
            p += 2 + len;
            int n = Short.toUnsignedInt(buf.getShort(p));
            p += 2;
            List<String> keys = n == 0 ? List.of() : new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                len = Short.toUnsignedInt(buf.getShort(p));
                keys.add(string(buf, p + 2, len, strings));
                p += 2 + len;
            }
            n = Short.toUnsignedInt(buf.getShort(p));
            String[] pairs = new String[2 * n];
            p = readPairs(buf, p + 2, n, pairs, strings);
            Map<String, String> props = PropertyMap.ofPairs(pairs, n);
            len = buf.getInt(p);
            if (len < 0 || p + 4 + len != end) {
                throw new IndexOutOfBoundsException("body length " + len + " does not end the record");
            }
            byte[] body = new byte[len];
            buf.get(p + 4, body);
            return new StoredMessage(topic, queue(buf, pos), queueOffset(buf, pos), messageId(buf, pos),
                    buf.getLong(pos + OFF_BORN), storeTimestamp(buf, pos), buf.getLong(pos + OFF_PRODUCER),
                    buf.getLong(pos + OFF_SEQUENCE), keys, tag, props, body);
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new TernException(ErrorCode.CORRUPT_RECORD, "record at " + pos + " is malformed: " + e.getMessage(), e);
        }
    }

    private static String string(ByteBuffer buf, int pos, int len) {
        return string(buf, pos, len, strings());
    }

    /**
     * Decodes a UTF-8 string. Short ones go through the thread's {@link Strings} (no allocation for a string
     * seen recently), longer ones through its scratch array when they fit (one copy, not two, from a direct buffer).
     */
    private static String string(ByteBuffer buf, int pos, int len, Strings strings) {
        if (len < 0) throw new IndexOutOfBoundsException("negative length");
        byte[] b;
        int off;
        if (buf.hasArray()) {
            java.util.Objects.checkFromIndexSize(pos, len, buf.limit());
            b = buf.array();
            off = buf.arrayOffset() + pos;
        } else {
            b = len <= strings.scratch.length ? strings.scratch : new byte[len];
            off = 0;
            buf.get(pos, b, 0, len);
        }
        return len <= Strings.MAX_LENGTH ? strings.get(b, off, len) : new String(b, off, len, StandardCharsets.UTF_8);
    }

    /**
     * A thread's recently encoded and decoded short strings: property names, MQTT topic names, client ids
     * and small values repeat from one record to the next, and reusing the bytes of a string (encoding) or
     * the string of some bytes (decoding) saves an allocation and a UTF-8 pass each. Two direct-mapped
     * tables; a collision just replaces the entry. The byte arrays handed out are shared: read them only.
     */
    private static final class Strings {
        static final int MAX_LENGTH = 64;
        private static final int SLOTS = 512;
        final byte[] scratch = new byte[512];
        private final byte[][] bytes = new byte[SLOTS][];
        private final String[] strings = new String[SLOTS];
        private final String[] encodedStrings = new String[SLOTS];
        private final byte[][] encodedBytes = new byte[SLOTS][];

        /** The UTF-8 bytes of {@code s} (shared: not to be modified). */
        byte[] utf8(String s) {
            if (s.length() > MAX_LENGTH) return s.getBytes(StandardCharsets.UTF_8);
            int h = s.hashCode(); // cached in the string
            int slot = (h ^ h >>> 16) & (SLOTS - 1);
            String known = encodedStrings[slot];
            if (known == s || s.equals(known)) return encodedBytes[slot];
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            encodedStrings[slot] = s;
            encodedBytes[slot] = b;
            return b;
        }

        String get(byte[] b, int off, int len) {
            int h = len;
            for (int i = off; i < off + len; i++) h = 31 * h + b[i];
            int slot = (h ^ h >>> 16) & (SLOTS - 1);
            byte[] known = bytes[slot];
            if (known != null && java.util.Arrays.equals(known, 0, known.length, b, off, off + len)) return strings[slot];
            String s = new String(b, off, len, StandardCharsets.UTF_8);
            bytes[slot] = java.util.Arrays.copyOfRange(b, off, off + len);
            strings[slot] = s;
            return s;
        }
    }

    private static final ThreadLocal<Strings> STRINGS = ThreadLocal.withInitial(Strings::new);

    private static Strings strings() {
        return STRINGS.get();
    }

    private static byte[] utf8(String what, String s) {
        return utf8(what, s, strings());
    }

    private static byte[] utf8(String what, String s, Strings strings) {
        byte[] b = strings.utf8(s);
        if (b.length > 0xFFFF) throw TernException.invalid(what + " is longer than 65535 bytes");
        return b;
    }
}
