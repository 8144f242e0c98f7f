package dev.tern.protocol;

import dev.tern.common.error.TernException;
import dev.tern.common.message.Message;
import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One message of a SEND batch, as the producer hands it over:
 * {@code long bornTimestamp | long producerId | long sequence | string tag (empty: none) |
 * u16 key count, string key... | u16 property count, (string name, text value)... | bytes body}.
 */
public final class MessageCodec {
    /** The fewest bytes an encoded message takes (all fields empty). */
    public static final int MIN_SIZE = 8 + 8 + 8 + 2 + 2 + 2 + 4;

    private MessageCodec() {
    }

    public static void write(ByteBuf buf, Message m) {
        if (m.keys().size() > 0xFFFF || m.properties().size() > 0xFFFF) {
            throw TernException.invalid("a message is limited to 65535 keys and 65535 properties");
        }
        buf.writeLong(m.bornTimestamp()).writeLong(m.producerId()).writeLong(m.sequence());
        Wire.writeOptString(buf, m.tag());
        buf.writeShort(m.keys().size());
        for (String k : m.keys()) Wire.writeString(buf, k);
        buf.writeShort(m.properties().size());
        for (Map.Entry<String, String> e : m.properties().entrySet()) {
            Wire.writeString(buf, e.getKey());
            Wire.writeText(buf, e.getValue());
        }
        Wire.writeBytes(buf, m.body());
    }

    public static Message read(ByteBuf buf) {
        long born = Wire.readLong(buf, "bornTimestamp");
        long producerId = Wire.readLong(buf, "producerId");
        long sequence = Wire.readLong(buf, "sequence");
        String tag = Wire.readOptString(buf, "tag");
        int nKeys = Wire.readU16Count(buf, "keys", 2);
        List<String> keys = new ArrayList<>(nKeys);
        for (int i = 0; i < nKeys; i++) keys.add(Wire.readString(buf, "key"));
        int nProps = Wire.readU16Count(buf, "properties", 6);
        Map<String, String> props = new LinkedHashMap<>(Math.max(4, nProps * 2));
        for (int i = 0; i < nProps; i++) {
            String name = Wire.readString(buf, "property name");
            props.put(name, Wire.readText(buf, "property value"));
        }
        byte[] body = Wire.readBytes(buf, "body");
        return new Message(body, keys, tag, props, born, producerId, sequence);
    }

    /**
     * About the encoded size of a message, for batching decisions: exact for ASCII strings, lower for
     * others (the encoder's frame check is exact).
     */
    public static int estimateSize(Message m) {
        int size = MIN_SIZE + m.body().length + (m.tag() == null ? 0 : m.tag().length());
        for (String k : m.keys()) size += 2 + k.length();
        for (Map.Entry<String, String> e : m.properties().entrySet()) {
            size += 6 + e.getKey().length() + e.getValue().length();
        }
        return size;
    }
}
