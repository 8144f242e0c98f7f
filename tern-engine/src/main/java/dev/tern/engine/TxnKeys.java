package dev.tern.engine;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Layout of transactional messages in the metadata area. A transaction id is 16 bytes, {@code long prepareMs |
 * int incarnation | int counter} (shown as 32 hex digits), so keys that end or start with it sort by age:
 * <ul>
 *   <li>{@code txn/h/ | id} → {@link HalfEntry}: the pending batch and its state; expiry reads only the
 *       entries prepared before a cut-off (one range scan from the prefix);</li>
 *   <li>{@code txn/c/ | producerGroup 0 | long nextCheckMs | id} → empty: when a prepared transaction is due
 *       for a check-back, per group, so a poll reads only what is due for its group;</li>
 *   <li>{@code txn/m/ | id} → empty: a commit under way (finished after a crash);</li>
 *   <li>{@code txn/r/ | id} → {@link Resolution}: the outcome of an ended transaction, kept
 *       {@link Transactions#OUTCOME_RETENTION_MS}.</li>
 * </ul>
 */
final class TxnKeys {
    static final byte[] HALF = ascii("txn/h/"), CHECK = ascii("txn/c/"), COMMITTING = ascii("txn/m/"), RESOLVED = ascii("txn/r/");
    static final int ID_BYTES = 16;
    private static final HexFormat HEX = HexFormat.of();

    private TxnKeys() {
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A transaction id: the prepare time first, so ids sort by age. */
    record Id(long prepareMs, int incarnation, int counter) {
        byte[] bytes() {
            return ByteBuffer.allocate(ID_BYTES).putLong(prepareMs).putInt(incarnation).putInt(counter).array();
        }

        @Override
        public String toString() {
            return HEX.formatHex(bytes());
        }

        static Id of(byte[] b, int from) {
            ByteBuffer buf = ByteBuffer.wrap(b, from, ID_BYTES);
            return new Id(buf.getLong(), buf.getInt(), buf.getInt());
        }

        /** Fails with TRANSACTION_NOT_FOUND for text that cannot be an id (no such transaction can exist). */
        static Id parse(String text) {
            if (text == null || text.length() != ID_BYTES * 2 || !text.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                throw new TernException(ErrorCode.TRANSACTION_NOT_FOUND, "'" + text + "' is not a transaction id (32 hex digits)");
            }
            return of(HEX.parseHex(text), 0);
        }
    }

    /** The exclusive upper bound of every key under one of the prefixes above (they end in '/', which '0' follows). */
    static byte[] end(byte[] prefix) {
        byte[] end = prefix.clone();
        end[end.length - 1]++;
        return end;
    }

    private static byte[] withId(byte[] prefix, Id id) {
        return ByteBuffer.allocate(prefix.length + ID_BYTES).put(prefix).put(id.bytes()).array();
    }

    static byte[] half(Id id) {
        return withId(HALF, id);
    }

    static byte[] committing(Id id) {
        return withId(COMMITTING, id);
    }

    static byte[] resolved(Id id) {
        return withId(RESOLVED, id);
    }

    /** The id at the end of any of these keys. */
    static Id idOf(byte[] key) {
        return Id.of(key, key.length - ID_BYTES);
    }

    /** The first key of {@code prefix} whose transaction was prepared at or after {@code ms}. */
    static byte[] preparedFrom(byte[] prefix, long ms) {
        return ByteBuffer.allocate(prefix.length + 8).put(prefix).putLong(Math.max(0, ms)).array();
    }

    static byte[] checkPrefix(String group) {
        byte[] g = group.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(CHECK.length + g.length + 1).put(CHECK).put(g).put((byte) 0).array();
    }

    static byte[] check(String group, long dueMs, Id id) {
        byte[] p = checkPrefix(group);
        return ByteBuffer.allocate(p.length + 8 + ID_BYTES).put(p).putLong(dueMs).put(id.bytes()).array();
    }

    /** The exclusive upper bound of {@code group}'s check entries due at or before {@code nowMs}. */
    static byte[] checkDueBy(String group, long nowMs) {
        byte[] p = checkPrefix(group);
        return ByteBuffer.allocate(p.length + 8).put(p).putLong(nowMs + 1).array();
    }

    static long checkDueOf(byte[] key) {
        return ByteBuffer.wrap(key, key.length - ID_BYTES - 8, 8).getLong();
    }
}
