package dev.tern.protocol;

import dev.tern.engine.PendingTransaction;
import dev.tern.engine.Transactions;
import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.List;

/**
 * Bodies of the transaction frames. TXN_PREPARE: {@code string producerGroup | string topic | target |
 * durability | int count | message...} (target, durability and messages as in SEND) → {@code string
 * transactionId}. TXN_END: {@code string transactionId | byte outcome (0 commit, 1 rollback)} → the SEND
 * response body. TXN_CHECK_POLL: {@code string producerGroup | int max | int maxWaitMs}; TXN_LIST:
 * {@code string producerGroup (empty: every group) | int limit}; both answered with {@code int count |
 * transaction...}, a transaction being {@code string id | string producerGroup | string topic | int queue |
 * long prepareTimeMs | int checks | byte committing | int count | message...}.
 */
public final class TxnCodec {
    private static final int MIN_TRANSACTION_SIZE = 2 + 2 + 2 + 4 + 8 + 4 + 1 + 4;

    private TxnCodec() {
    }

    public static void writePrepare(ByteBuf buf, Request.TxnPrepare r) {
        Wire.writeString(buf, r.producerGroup());
        Wire.writeString(buf, r.topic());
        SendCodec.writeBatch(buf, r.target(), r.durability(), r.messages());
    }

    public static Request.TxnPrepare readPrepare(ByteBuf buf) {
        String group = Wire.readString(buf, "producerGroup");
        String topic = Wire.readString(buf, "topic");
        var target = SendCodec.readTarget(buf);
        return new Request.TxnPrepare(group, topic, target, SendCodec.readDurability(buf), SendCodec.readMessages(buf));
    }

    public static void writeEnd(ByteBuf buf, Request.TxnEnd r) {
        Wire.writeString(buf, r.transactionId());
        buf.writeByte(r.outcome() == Transactions.Outcome.COMMIT ? 0 : 1);
    }

    public static Request.TxnEnd readEnd(ByteBuf buf) {
        String id = Wire.readString(buf, "transactionId");
        int outcome = Wire.readByte(buf, "outcome");
        if (outcome > 1) throw FrameException.malformed("unknown transaction outcome " + outcome);
        return new Request.TxnEnd(id, outcome == 0 ? Transactions.Outcome.COMMIT : Transactions.Outcome.ROLLBACK);
    }

    public static void writeCheckPoll(ByteBuf buf, Request.TxnCheckPoll r) {
        Wire.writeString(buf, r.producerGroup());
        buf.writeInt(r.max()).writeInt(r.maxWaitMs());
    }

    public static Request.TxnCheckPoll readCheckPoll(ByteBuf buf) {
        return new Request.TxnCheckPoll(Wire.readString(buf, "producerGroup"), Wire.readInt(buf, "max"), Wire.readInt(buf, "maxWaitMs"));
    }

    public static void writeList(ByteBuf buf, Request.TxnList r) {
        Wire.writeString(buf, r.producerGroup() == null ? "" : r.producerGroup());
        buf.writeInt(r.limit());
    }

    public static Request.TxnList readList(ByteBuf buf) {
        String group = Wire.readString(buf, "producerGroup");
        return new Request.TxnList(group.isEmpty() ? null : group, Wire.readInt(buf, "limit"));
    }

    public static void writeTransactions(ByteBuf buf, List<PendingTransaction> list) {
        buf.writeInt(list.size());
        for (PendingTransaction t : list) {
            Wire.writeString(buf, t.id());
            Wire.writeString(buf, t.producerGroup());
            Wire.writeString(buf, t.topic());
            buf.writeInt(t.queue()).writeLong(t.prepareTimeMs()).writeInt(t.checks()).writeByte(t.committing() ? 1 : 0);
            SendCodec.writeMessages(buf, t.messages());
        }
    }

    public static List<PendingTransaction> readTransactions(ByteBuf buf) {
        int n = Wire.readCount(buf, "transactions", MIN_TRANSACTION_SIZE);
        List<PendingTransaction> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String id = Wire.readString(buf, "id");
            String group = Wire.readString(buf, "producerGroup");
            String topic = Wire.readString(buf, "topic");
            int queue = Wire.readInt(buf, "queue");
            long prepared = Wire.readLong(buf, "prepareTimeMs");
            int checks = Wire.readInt(buf, "checks");
            boolean committing = Wire.readBoolean(buf, "committing");
            out.add(new PendingTransaction(id, group, topic, queue, prepared, checks, committing, SendCodec.readMessages(buf)));
        }
        return out;
    }
}
