package dev.tern.store.local;

import dev.tern.common.codec.RecordCodec;
import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.common.message.MessageId;
import dev.tern.common.message.StoredMessage;
import dev.tern.store.api.MessageLookup;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

/**
 * Lookups of the local store. Message ids are self-locating — (store timestamp, log position) — so a
 * lookup by id reads the record at that position and checks that it carries the same id: no index to
 * keep. Keys go through the RocksDB key index; time through the consume queue's timestamps.
 */
final class LocalLookup implements MessageLookup {
    private static final ThreadLocal<CRC32C> CRC = ThreadLocal.withInitial(CRC32C::new);

    private final LocalStore store;

    LocalLookup(LocalStore store) {
        this.store = store;
    }

    @Override
    public CompletableFuture<Optional<StoredMessage>> byId(MessageId id) {
        return Futures.call(() -> {
            store.ensureOpen();
            if (id == null) throw TernException.invalid("the message id to look up is missing");
            ByteBuffer r = recordAt(id.low());
            if (r == null || !RecordCodec.messageId(r, 0).equals(id)) return Optional.<StoredMessage>empty();
            TopicState t = store.topics.get(RecordCodec.topicId(r, 0));
            if (t == null || t.deleted) return Optional.<StoredMessage>empty();
            return Optional.of(RecordCodec.decode(r, 0));
        });
    }

    /** The valid record starting at {@code position}, or null if none is kept there. */
    private ByteBuffer recordAt(long position) {
        if (position < store.log.minPosition() || position + RecordCodec.HEADER_SIZE > store.log.writtenPosition()) return null;
        ByteBuffer head = store.log.slice(position, 4);
        if (head == null) return null;
        int size = head.getInt(0);
        if (size < RecordCodec.HEADER_SIZE || size > store.config.maxMessageBytes()) return null;
        ByteBuffer r = store.log.slice(position, size);
        if (r == null || RecordCodec.check(r, 0, size, CRC.get()) != RecordCodec.Check.VALID) return null;
        return r;
    }

    @Override
    public CompletableFuture<List<StoredMessage>> byKey(String topic, String key, int limit) {
        TopicState t;
        try {
            store.ensureOpen();
            t = store.topic(topic);
            if (key == null || key.isEmpty()) throw TernException.invalid("the key to look up is empty");
            if (limit < 1) throw TernException.invalid("limit must be at least 1, not " + limit);
        } catch (TernException e) {
            return CompletableFuture.failedFuture(e);
        }
        // read-your-writes: wait until the index has caught up with everything written so far
        return store.dispatcher.awaitIndexed(store.log.writtenPosition())
                .orTimeout(30, TimeUnit.SECONDS)
                .exceptionallyCompose(e -> CompletableFuture.failedFuture(new TernException(ErrorCode.STORAGE_IO,
                        "the key index is behind the log; try again", e)))
                .thenApply(v -> matching(t, key, limit));
    }

    private List<StoredMessage> matching(TopicState t, String key, int limit) {
        List<StoredMessage> out = new ArrayList<>();
        // entries can be stale (a torn tail was rewritten): fetch a little more than asked and check each
        for (long position : store.keyIndex.positions(t.info.topicId(), key, limit + 16)) {
            if (out.size() == limit) break;
            ByteBuffer r = recordAt(position);
            if (r == null || RecordCodec.topicId(r, 0) != t.info.topicId() || !RecordCodec.keys(r, 0).contains(key)) continue;
            out.add(RecordCodec.decode(r, 0));
        }
        Collections.reverse(out);
        return out;
    }

    @Override
    public CompletableFuture<Long> offsetForTime(String topic, int queue, long timestamp) {
        return Futures.call(() -> {
            store.ensureOpen();
            return store.queue(store.topic(topic), queue).offsetForTime(timestamp);
        });
    }
}
