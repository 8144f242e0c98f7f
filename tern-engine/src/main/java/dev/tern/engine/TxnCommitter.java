package dev.tern.engine;

import dev.tern.common.codec.RecordCodec;
import dev.tern.common.error.ErrorCode;
import dev.tern.common.message.StoredMessage;
import dev.tern.store.api.MessageLog;
import dev.tern.store.api.MetadataStore;
import dev.tern.store.api.ReadRequest;
import dev.tern.store.api.ReadResult;
import dev.tern.store.api.StoredRecord;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The commit of a pending transaction, exactly once over a crash. The log append and the metadata writes
 * are separate store operations, so a commit goes in three steps: (1) mark the half COMMITTING with the
 * queue's next offset, (2) append the batch (each message carries {@link Transactions#TXN_ID_PROPERTY}),
 * (3) replace the half with its outcome. A commit found COMMITTING (a crash, or a failed append, between 1
 * and 3) first reads the queue from the recorded offset for messages of its transaction and appends only
 * if none is there (the batch is appended atomically: all of it or none). A batch with delayed messages
 * needs none of this: its timer entries and the half's removal are one atomic metadata write.
 * Runs inside the transaction's chain ({@link KeyedChain}), never concurrently for one transaction.
 */
final class TxnCommitter {
    private static final int READ_BATCH = 256;

    private final EngineContext context;
    private final MetadataStore metadata;
    private final MessageLog log;
    private final Sender sender;
    private final DelayedSends delayed;

    TxnCommitter(EngineContext context, MetadataStore metadata, MessageLog log, Sender sender, DelayedSends delayed) {
        this.context = context;
        this.metadata = metadata;
        this.log = log;
        this.sender = sender;
        this.delayed = delayed;
    }

    CompletableFuture<List<SendResult>> commit(HalfEntry e) {
        long now = context.config.clock().millis();
        List<Long> due = e.committing() ? null : delayed.dueTimes(e.messages(), now);
        if (due != null) {
            List<SendResult> results = DelayedSends.notYet(e.topic(), e.queue(), e.messages().size(), now);
            return delayed.scheduleWith(e.topic(), e.queue(), e.messages(), due, ended(e, results), e.durability(), now);
        }
        CompletableFuture<HalfEntry> marked = e.committing() ? CompletableFuture.completedFuture(e) : markCommitting(e);
        return marked.thenCompose(m -> alreadyAppended(m).thenCompose(found -> found.size() == m.messages().size()
                        ? CompletableFuture.completedFuture(found) : sender.appendTo(m.topic(), m.queue(), m.messages(), m.durability())))
                // the append completes on a store thread (the flusher under sync): the metadata write goes to a worker
                .thenComposeAsync(results -> metadata.write(ended(e, results), e.durability()).thenApply(v -> results), context.executor);
    }

    /** Step 1: COMMITTING from the queue's next offset, off the check-back index, on the committing index. */
    private CompletableFuture<HalfEntry> markCommitting(HalfEntry e) {
        return log.range(e.topic(), e.queue()).thenCompose(range -> {
            HalfEntry m = e.committingFrom(range.nextOffset());
            return metadata.write(List.of(MetadataStore.Op.put(TxnKeys.half(e.id()), m.encode()),
                    MetadataStore.Op.delete(TxnKeys.check(e.producerGroup(), e.nextCheckMs(), e.id())),
                    MetadataStore.Op.put(TxnKeys.committing(e.id()), new byte[0])), e.durability()).thenApply(v -> m);
        });
    }

    private static List<MetadataStore.Op> ended(HalfEntry e, List<SendResult> results) {
        return e.ended(new Resolution(Transactions.Outcome.COMMIT, Resolution.Reason.PRODUCER, e.topic(), results));
    }

    /** The results of this transaction's messages already in the queue from the COMMITTING offset on (none before step 1). */
    private CompletableFuture<List<SendResult>> alreadyAppended(HalfEntry e) {
        if (e.commitFrom() < 0) return CompletableFuture.completedFuture(List.of());
        return log.range(e.topic(), e.queue()).thenCompose(range ->
                scan(e, Math.max(e.commitFrom(), range.minOffset()), range.nextOffset(), new ArrayList<>()));
    }

    private CompletableFuture<List<SendResult>> scan(HalfEntry e, long offset, long end, List<SendResult> found) {
        if (offset >= end || found.size() == e.messages().size()) return CompletableFuture.completedFuture(found);
        String id = e.id().toString();
        return log.read(new ReadRequest(e.topic(), e.queue(), offset, (int) Math.min(READ_BATCH, end - offset))).thenCompose(r -> {
            long next;
            try (ReadResult read = r) {
                if (read.status() != ReadResult.Status.FOUND) return CompletableFuture.completedFuture(found);
                for (StoredRecord rec : read.records()) {
                    StoredMessage m = rec.message();
                    if (!id.equals(m.properties().get(Transactions.TXN_ID_PROPERTY))) continue;
                    ByteBuffer b = rec.buffer();
                    found.add(new SendResult(e.topic(), e.queue(), rec.queueOffset(), RecordCodec.messageId(b, b.position()),
                            rec.storeTimestamp()));
                }
                next = read.nextOffset();
            }
            return next > offset ? scan(e, next, end, found) : CompletableFuture.completedFuture(found);
        });
    }

    /** Whether a commit failed because its topic or queue is gone (then it can never succeed). */
    static boolean targetGone(Throwable t) {
        return Failures.is(t, ErrorCode.TOPIC_NOT_FOUND) || Failures.is(t, ErrorCode.QUEUE_NOT_FOUND);
    }
}
