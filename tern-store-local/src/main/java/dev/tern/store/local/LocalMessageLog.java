package dev.tern.store.local;

import dev.tern.common.codec.RecordCodec;
import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.common.message.Message;
import dev.tern.store.api.AppendListener;
import dev.tern.store.api.AppendResult;
import dev.tern.store.api.Durability;
import dev.tern.store.api.MessageLog;
import dev.tern.store.api.QueueRange;
import dev.tern.store.api.ReadRequest;
import dev.tern.store.api.ReadResult;
import dev.tern.store.api.StoredRecord;
import dev.tern.store.local.queue.ConsumeQueue;
import dev.tern.store.local.write.AppendRequest;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.zip.CRC32C;

/**
 * Appends (encoded on the caller's thread, written by the appender) and reads (served on the caller's
 * thread from the memory-mapped files: the returned buffers are read-only views, not copies).
 */
final class LocalMessageLog implements MessageLog {
    /** How many index entries one filtered read may look at before returning what it has. */
    private static final int MAX_SCANNED = 100_000;
    private static final ThreadLocal<CRC32C> CRC = ThreadLocal.withInitial(CRC32C::new);

    private final LocalStore store;

    LocalMessageLog(LocalStore store) {
        this.store = store;
    }

    @Override
    public int maxMessageBytes() {
        return store.config.maxMessageBytes();
    }

    @Override
    public CompletableFuture<List<AppendResult>> append(String topic, int queue, List<Message> batch, Durability durability) {
        AppendRequest request;
        try {
            store.ensureOpen();
            TopicState t = store.topic(topic);
            ConsumeQueue cq = store.queue(t, queue);
            if (batch == null || batch.isEmpty()) throw TernException.invalid("an append needs at least one message");
            byte[][] records = new byte[batch.size()][];
            int[] tags = new int[batch.size()];
            byte[] topicBytes = RecordCodec.topicBytes(topic);
            for (int i = 0; i < records.length; i++) {
                Message m = batch.get(i);
                records[i] = RecordCodec.prepare(m, topicBytes, t.info.topicId(), queue);
                if (records[i].length > store.config.maxMessageBytes()) {
                    throw new TernException(ErrorCode.MESSAGE_TOO_LARGE, "a message of " + records[i].length
                            + " bytes (encoded) is over the limit of " + store.config.maxMessageBytes() + " bytes (store.max.message.bytes)");
                }
                tags[i] = RecordCodec.tagHash(m.tag());
            }
            request = new AppendRequest(topic, queue, cq, () -> t.deleted, records, tags,
                    durability == null ? Durability.ASYNC : durability);
        } catch (TernException e) {
            return CompletableFuture.failedFuture(e);
        }
        store.appender.submit(request);
        return request.future();
    }

    @Override
    public CompletableFuture<ReadResult> read(ReadRequest r) {
        return Futures.call(() -> {
            store.ensureOpen();
            TopicState t = store.topic(r.topic());
            ConsumeQueue cq = store.queue(t, r.queue());
            if (r.maxMessages() < 1) throw TernException.invalid("maxMessages must be at least 1, not " + r.maxMessages());
            if (r.maxBytes() < 1) throw TernException.invalid("maxBytes must be at least 1, not " + r.maxBytes());
            return read(t, cq, r);
        });
    }

    private ReadResult read(TopicState t, ConsumeQueue cq, ReadRequest r) {
        long next = cq.nextOffset();
        long min = cq.minOffset();
        QueueRange range = new QueueRange(min, next);
        if (r.offset() < min) return LocalReadResult.of(ReadResult.Status.OFFSET_TOO_SMALL, min, range);
        if (r.offset() > next) return LocalReadResult.of(ReadResult.Status.OFFSET_TOO_BIG, next, range);
        List<StoredRecord> records = new ArrayList<>(Math.min(r.maxMessages(), 256));
        long bytes = 0;
        long o = r.offset();
        int scanned = 0;
        ConsumeQueue.Entry e = new ConsumeQueue.Entry();
        for (; o < next && records.size() < r.maxMessages() && scanned < MAX_SCANNED; o++, scanned++) {
            if (!cq.read(o, e) || e.size == 0) break; // the entry went away under us (retention): the next read says so
            int size = e.size;
            int tagHash = e.tagHash;
            long position = e.logPosition;
            if (r.tagFilter() != null && !r.tagFilter().test(tagHash)) continue;
            if (!records.isEmpty() && bytes + size > r.maxBytes()) break;
            ByteBuffer record = store.log.slice(position, size);
            if (record == null) {
                if (records.isEmpty()) {
                    return LocalReadResult.of(ReadResult.Status.OFFSET_TOO_SMALL, cq.minOffset(), new QueueRange(cq.minOffset(), next));
                }
                break;
            }
            verify(t, r.queue(), o, position, record);
            records.add(new StoredRecord(o, tagHash, e.storeTimestamp, record));
            bytes += size;
        }
        ReadResult.Status status = records.isEmpty() ? ReadResult.Status.NO_MESSAGES : ReadResult.Status.FOUND;
        return new LocalReadResult(status, records, o, range);
    }

    /** A record that fails its checksum, or is not the one the index promised, is never handed out. */
    private static void verify(TopicState t, int queue, long offset, long position, ByteBuffer record) {
        boolean ok = RecordCodec.check(record, 0, record.limit(), CRC.get()) == RecordCodec.Check.VALID
                && RecordCodec.topicId(record, 0) == t.info.topicId()
                && RecordCodec.queue(record, 0) == queue
                && RecordCodec.queueOffset(record, 0) == offset;
        if (!ok) {
            throw new TernException(ErrorCode.CORRUPT_RECORD, "the record of topic '" + t.name() + "' queue " + queue
                    + " offset " + offset + " (log position " + position + ") is corrupt: checksum or header mismatch");
        }
    }

    @Override
    public CompletableFuture<QueueRange> range(String topic, int queue) {
        return Futures.call(() -> {
            store.ensureOpen();
            ConsumeQueue cq = store.queue(store.topic(topic), queue);
            return new QueueRange(cq.minOffset(), cq.nextOffset());
        });
    }

    @Override
    public CompletableFuture<Void> durable(String topic, int queue, long offset) {
        try {
            store.ensureOpen();
            ConsumeQueue cq = store.queue(store.topic(topic), queue);
            return store.flusher.durable(store.durableTarget(cq, offset));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Each registration is an object of its own, removed by identity: closing a handle twice, or the handle
     * of a listener that was added twice, removes only that one registration.
     */
    @Override
    public CompletableFuture<Long> storedBytes(String topic) {
        return Futures.call(() -> {
            store.ensureOpen();
            long sum = 0;
            for (ConsumeQueue q : store.topic(topic).queues) sum += q.storedBytes();
            return sum;
        });
    }

    @Override
    public AutoCloseable addAppendListener(AppendListener listener) {
        store.ensureOpen();
        if (listener == null) throw TernException.invalid("no listener");
        AppendListener registration = new AppendListener() {
            @Override
            public void appended(String topic, int queue, long nextOffset) {
                listener.appended(topic, queue, nextOffset);
            }

            @Override
            public String toString() {
                return listener.toString();
            }
        };
        store.listeners.add(registration);
        return () -> store.listeners.remove(registration);
    }
}
