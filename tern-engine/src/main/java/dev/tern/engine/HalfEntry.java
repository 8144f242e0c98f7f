package dev.tern.engine;

import dev.tern.common.codec.RecordCodec;
import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.common.message.Message;
import dev.tern.store.api.Durability;
import dev.tern.store.api.MetadataStore;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A pending transaction as kept under {@code txn/h/}: {@code byte version | byte state | long nextCheckMs |
 * int checks | long commitFrom | byte durability | string producerGroup | string topic | int queue |
 * int count | (int length, record)...}, strings as {@code int length | UTF-8}, each message encoded as a
 * record ({@link RecordCodec#prepare}). {@code commitFrom} is the queue's next offset when the commit began
 * (state COMMITTING), -1 before.
 */
record HalfEntry(TxnKeys.Id id, boolean committing, long nextCheckMs, int checks, long commitFrom, Durability durability,
                 String producerGroup, String topic, int queue, List<Message> messages) {
    private static final int VERSION = 1;

    HalfEntry checked(long nextCheck) {
        return new HalfEntry(id, committing, nextCheck, checks + 1, commitFrom, durability, producerGroup, topic, queue, messages);
    }

    HalfEntry committingFrom(long offset) {
        return new HalfEntry(id, true, nextCheckMs, checks, offset, durability, producerGroup, topic, queue, messages);
    }

    /** The writes that end this transaction: the half and its index entries go, the outcome stays. */
    List<MetadataStore.Op> ended(Resolution outcome) {
        return new ArrayList<>(List.of(MetadataStore.Op.delete(TxnKeys.half(id)),
                MetadataStore.Op.delete(TxnKeys.check(producerGroup, nextCheckMs, id)),
                MetadataStore.Op.delete(TxnKeys.committing(id)),
                MetadataStore.Op.put(TxnKeys.resolved(id), outcome.encode())));
    }

    PendingTransaction describe() {
        return new PendingTransaction(id.toString(), producerGroup, topic, queue, id.prepareMs(), checks, committing, messages);
    }

    byte[] encode() {
        List<byte[]> records = new ArrayList<>(messages.size());
        int size = 0;
        for (Message m : messages) {
            byte[] r = RecordCodec.prepare(m, topic, 0, queue);
            records.add(r);
            size += 4 + r.length;
        }
        byte[] g = producerGroup.getBytes(StandardCharsets.UTF_8), t = topic.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(2 + 8 + 4 + 8 + 1 + 4 + g.length + 4 + t.length + 4 + 4 + size);
        b.put((byte) VERSION).put((byte) (committing ? 1 : 0)).putLong(nextCheckMs).putInt(checks).putLong(commitFrom)
                .put((byte) (durability == Durability.SYNC ? 1 : 0));
        b.putInt(g.length).put(g).putInt(t.length).put(t).putInt(queue).putInt(records.size());
        for (byte[] r : records) b.putInt(r.length).put(r);
        return b.array();
    }

    static HalfEntry decode(TxnKeys.Id id, byte[] value) {
        ByteBuffer b = ByteBuffer.wrap(value);
        int version = b.get();
        if (version != VERSION) throw new TernException(ErrorCode.INTERNAL, "transaction " + id + " has layout " + version);
        boolean committing = b.get() == 1;
        long nextCheck = b.getLong();
        int checks = b.getInt();
        long commitFrom = b.getLong();
        Durability d = b.get() == 1 ? Durability.SYNC : Durability.ASYNC;
        String group = string(b), topic = string(b);
        int queue = b.getInt();
        int n = b.getInt();
        List<Message> messages = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int len = b.getInt();
            messages.add(RecordCodec.decode(ByteBuffer.wrap(value, b.position(), len).slice(), 0).toMessage());
            b.position(b.position() + len);
        }
        return new HalfEntry(id, committing, nextCheck, checks, commitFrom, d, group, topic, queue, messages);
    }

    private static String string(ByteBuffer b) {
        byte[] s = new byte[b.getInt()];
        b.get(s);
        return new String(s, StandardCharsets.UTF_8);
    }
}
