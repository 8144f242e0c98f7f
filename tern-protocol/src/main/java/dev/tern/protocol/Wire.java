package dev.tern.protocol;

import dev.tern.common.error.TernException;
import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The primitive field types of the wire format, all big-endian: fixed-size integers, {@code string}
 * (u16 byte length + UTF-8), {@code text} (i32 byte length + UTF-8), {@code bytes} (i32 length + bytes)
 * and counts. Every read checks that the bytes are there and fails with a {@link FrameException} that
 * names the field, so a decoder never throws anything else on truncated or garbage input.
 */
public final class Wire {
    /** The longest {@code string}, in bytes. */
    public static final int MAX_STRING_BYTES = 0xFFFF;

    private Wire() {
    }

    // ---- writing

    public static void writeString(ByteBuf buf, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > MAX_STRING_BYTES) {
            throw TernException.invalid("a string field is limited to " + MAX_STRING_BYTES + " bytes, got " + b.length);
        }
        buf.writeShort(b.length).writeBytes(b);
    }

    /** Writes an optional string: null is written as the empty string. */
    public static void writeOptString(ByteBuf buf, String s) {
        writeString(buf, s == null ? "" : s);
    }

    /** Writes a string cut to at most {@link #MAX_STRING_BYTES} bytes (for error messages). */
    public static void writeTruncatedString(ByteBuf buf, String s) {
        String t = s == null ? "" : s;
        if (t.length() > MAX_STRING_BYTES / 4) t = t.substring(0, MAX_STRING_BYTES / 4);
        writeString(buf, t);
    }

    public static void writeText(ByteBuf buf, String s) {
        writeBytes(buf, s.getBytes(StandardCharsets.UTF_8));
    }

    public static void writeBytes(ByteBuf buf, byte[] b) {
        buf.writeInt(b.length).writeBytes(b);
    }

    /** A {@code u16} count followed by {@code string} key and {@code string} value pairs. */
    public static void writeStringMap(ByteBuf buf, Map<String, String> map) {
        if (map.size() > 0xFFFF) throw TernException.invalid("a map is limited to 65535 entries, got " + map.size());
        buf.writeShort(map.size());
        for (Map.Entry<String, String> e : map.entrySet()) {
            writeString(buf, e.getKey());
            writeString(buf, e.getValue());
        }
    }

    // ---- reading

    public static int readByte(ByteBuf buf, String field) {
        need(buf, 1, field);
        return buf.readUnsignedByte();
    }

    public static int readU16(ByteBuf buf, String field) {
        need(buf, 2, field);
        return buf.readUnsignedShort();
    }

    public static int readInt(ByteBuf buf, String field) {
        need(buf, 4, field);
        return buf.readInt();
    }

    public static long readLong(ByteBuf buf, String field) {
        need(buf, 8, field);
        return buf.readLong();
    }

    public static boolean readBoolean(ByteBuf buf, String field) {
        int b = readByte(buf, field);
        if (b > 1) throw FrameException.malformed("field '" + field + "' must be 0 or 1, got " + b);
        return b == 1;
    }

    public static String readString(ByteBuf buf, String field) {
        int len = readU16(buf, field + " length");
        return utf8(buf, len, field);
    }

    /** Reads an optional string: the empty string means absent (null). */
    public static String readOptString(ByteBuf buf, String field) {
        String s = readString(buf, field);
        return s.isEmpty() ? null : s;
    }

    public static String readText(ByteBuf buf, String field) {
        int len = readLength(buf, field);
        return utf8(buf, len, field);
    }

    public static byte[] readBytes(ByteBuf buf, String field) {
        int len = readLength(buf, field);
        byte[] b = new byte[len];
        buf.readBytes(b);
        return b;
    }

    /**
     * Reads an {@code int} element count and checks it against the bytes left, each element taking at
     * least {@code minElementBytes}; a count that cannot fit is garbage and never allocates.
     */
    public static int readCount(ByteBuf buf, String field, int minElementBytes) {
        int n = readInt(buf, field + " count");
        return checkCount(buf, n, field, minElementBytes);
    }

    /** Like {@link #readCount} for a {@code u16} count. */
    public static int readU16Count(ByteBuf buf, String field, int minElementBytes) {
        int n = readU16(buf, field + " count");
        return checkCount(buf, n, field, minElementBytes);
    }

    public static Map<String, String> readStringMap(ByteBuf buf, String field) {
        int n = readU16Count(buf, field, 4);
        Map<String, String> map = new LinkedHashMap<>(Math.max(4, n * 2));
        for (int i = 0; i < n; i++) {
            String k = readString(buf, field + " key");
            map.put(k, readString(buf, field + " value"));
        }
        return map;
    }

    /** Fails unless the whole body was read: trailing bytes mean the peer and we disagree on the layout. */
    public static void end(ByteBuf buf, FrameType type) {
        if (buf.isReadable()) {
            throw FrameException.malformed(type + " body has " + buf.readableBytes() + " unexpected trailing bytes");
        }
    }

    private static int checkCount(ByteBuf buf, int n, String field, int minElementBytes) {
        if (n < 0 || (long) n * minElementBytes > buf.readableBytes()) {
            throw FrameException.malformed("field '" + field + "' claims " + n + " elements but only "
                    + buf.readableBytes() + " bytes are left");
        }
        return n;
    }

    private static int readLength(ByteBuf buf, String field) {
        int len = readInt(buf, field + " length");
        if (len < 0) throw FrameException.malformed("field '" + field + "' has a negative length " + len);
        need(buf, len, field);
        return len;
    }

    private static String utf8(ByteBuf buf, int len, String field) {
        need(buf, len, field);
        String s = buf.toString(buf.readerIndex(), len, StandardCharsets.UTF_8);
        buf.skipBytes(len);
        return s;
    }

    private static void need(ByteBuf buf, int n, String field) {
        if (buf.readableBytes() < n) {
            throw FrameException.malformed("truncated frame: field '" + field + "' needs " + n + " bytes, "
                    + buf.readableBytes() + " left");
        }
    }
}
