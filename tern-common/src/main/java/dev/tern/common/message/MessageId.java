package dev.tern.common.message;

import dev.tern.common.error.TernException;

import java.util.HexFormat;

/**
 * A message's identity: 16 opaque bytes chosen by the store when it stores the message, printed as 32
 * lowercase hex digits. The local store makes ids self-locating (store timestamp and log position), so
 * a lookup by id needs no index; other stores may choose differently, and callers must not look inside.
 */
public record MessageId(long high, long low) implements Comparable<MessageId> {
    private static final HexFormat HEX = HexFormat.of();

    public static MessageId parse(String text) {
        if (text == null || text.length() != 32) {
            throw TernException.invalid("a message id is 32 hex digits, got '" + text + "'");
        }
        try {
            return new MessageId(HexFormat.fromHexDigitsToLong(text, 0, 16), HexFormat.fromHexDigitsToLong(text, 16, 32));
        } catch (IllegalArgumentException e) {
            throw TernException.invalid("a message id is 32 hex digits, got '" + text + "'");
        }
    }

    @Override
    public String toString() {
        return HEX.toHexDigits(high) + HEX.toHexDigits(low);
    }

    @Override
    public int compareTo(MessageId o) {
        int c = Long.compareUnsigned(high, o.high);
        return c != 0 ? c : Long.compareUnsigned(low, o.low);
    }
}
