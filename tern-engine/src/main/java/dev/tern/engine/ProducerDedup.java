package dev.tern.engine;

import dev.tern.common.error.TernException;
import dev.tern.common.message.MessageId;
import dev.tern.store.api.Durability;
import dev.tern.store.api.MessageLog;
import dev.tern.store.api.MetadataStore;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * De-duplication of an idempotent producer's sends, per (producer id, topic, queue). The producer numbers
 * its messages per queue (its sequence); a batch whose sequences were all stored already is not appended
 * again, and is answered with the original results when it is the last batch stored (the retry of a send
 * whose answer was lost), else with offset -1 (stored long ago). State per (producer, queue): the last
 * sequence and the last batch's results, cached here and kept in the metadata area under
 * {@code dedup/ | producerId | queue | topic}, written right after the append with the send's durability,
 * so that a retry after a restart is stored once too. The log append and this write are two store
 * operations; a crash between them is covered by reading the queue's tail after the recorded offset once
 * per (producer, queue) ({@link DedupTail}): the records carry producer id and sequence.
 * Sends of one (producer, queue) are chained, never concurrent: check, append and record happen in turn.
 */
final class ProducerDedup {
    private static final byte[] PREFIX = "dedup/".getBytes(StandardCharsets.US_ASCII);

    private final MetadataStore metadata;
    private final DedupTail tail;
    private final ConcurrentHashMap<Key, State> states = new ConcurrentHashMap<>();

    ProducerDedup(MetadataStore metadata, MessageLog log) {
        this.metadata = metadata;
        this.tail = new DedupTail(log);
    }

    private record Key(long producerId, String topic, int queue) {
        byte[] bytes() {
            byte[] t = topic.getBytes(StandardCharsets.UTF_8);
            return ByteBuffer.allocate(PREFIX.length + 12 + t.length).put(PREFIX).putLong(producerId).putInt(queue).put(t).array();
        }
    }

    /** What is known of one (producer, queue); guarded by its own monitor for {@code tail}. */
    private static final class State {
        CompletableFuture<?> tail = CompletableFuture.completedFuture(null);
        boolean loaded;
        long lastSequence = -1;
        long lastFirstSequence = -1;
        List<SendResult> lastResults = List.of();
    }

    /** Runs {@code append} for sequences {@code first .. first + count - 1} unless they were stored already. */
    CompletableFuture<List<SendResult>> send(long producerId, String topic, int queue, long first, int count, Durability d,
                                             Supplier<CompletableFuture<List<SendResult>>> append) {
        Key key = new Key(producerId, topic, queue);
        State state = states.computeIfAbsent(key, k -> new State());
        CompletableFuture<List<SendResult>> next;
        synchronized (state) {
            next = state.tail.handle((x, e) -> null).thenCompose(v -> step(key, state, first, count, d, append));
            state.tail = next;
        }
        return next;
    }

    private CompletableFuture<List<SendResult>> step(Key key, State state, long first, int count, Durability d,
                                                     Supplier<CompletableFuture<List<SendResult>>> append) {
        return load(key, state).thenCompose(v -> {
            long last = first + count - 1;
            if (last <= state.lastSequence) return CompletableFuture.completedFuture(duplicate(key, state, first, count));
            if (first <= state.lastSequence) {
                throw TernException.invalid("sequences " + first + ".." + last + " of producer " + producerHex(key)
                        + " overlap what is stored (up to " + state.lastSequence + ")");
            }
            return append.get().thenCompose(results -> metadata.put(key.bytes(), encode(first, last, results), d).thenApply(x -> {
                state.lastSequence = last;
                state.lastFirstSequence = first;
                state.lastResults = List.copyOf(results);
                return results;
            }));
        });
    }

    private static List<SendResult> duplicate(Key key, State state, long first, int count) {
        long known = state.lastSequence - state.lastFirstSequence + 1;
        if (first >= state.lastFirstSequence && state.lastResults.size() == known) {
            int from = (int) (first - state.lastFirstSequence);
            return state.lastResults.subList(from, from + count);
        }
        List<SendResult> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) out.add(new SendResult(key.topic(), key.queue(), -1, DelayedSends.NOT_YET, 0));
        return out;
    }

    /** The recorded state, then what the log holds after it ({@link DedupTail}). */
    private CompletableFuture<Void> load(Key key, State state) {
        if (state.loaded) return CompletableFuture.completedFuture(null);
        return metadata.get(key.bytes()).thenCompose(found -> {
            found.ifPresent(bytes -> decode(key, bytes, state));
            Long from = state.lastResults.isEmpty() ? null : state.lastResults.getLast().queueOffset() + 1;
            return tail.scan(key.producerId(), key.topic(), key.queue(), from);
        }).thenAccept(stored -> {
            if (!stored.isEmpty() && stored.lastKey() > state.lastSequence) adoptTail(state, stored);
            state.loaded = true;
        });
    }

    /** The log has newer batches than the record: the trailing run of consecutive sequences stands in for the last batch. */
    private static void adoptTail(State state, java.util.TreeMap<Long, SendResult> stored) {
        long last = stored.lastKey();
        long first = last;
        while (stored.containsKey(first - 1) && first - 1 > state.lastSequence) first--;
        state.lastSequence = last;
        state.lastFirstSequence = first;
        state.lastResults = List.copyOf(stored.subMap(first, true, last, true).values());
    }

    private static byte[] encode(long first, long last, List<SendResult> results) {
        ByteBuffer b = ByteBuffer.allocate(20 + results.size() * 32).putLong(last).putLong(first).putInt(results.size());
        for (SendResult r : results) {
            b.putLong(r.queueOffset()).putLong(r.messageId().high()).putLong(r.messageId().low()).putLong(r.storeTimestamp());
        }
        return b.array();
    }

    private static void decode(Key key, byte[] bytes, State state) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        state.lastSequence = b.getLong();
        state.lastFirstSequence = b.getLong();
        int n = b.getInt();
        List<SendResult> results = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long offset = b.getLong();
            MessageId id = new MessageId(b.getLong(), b.getLong());
            results.add(new SendResult(key.topic(), key.queue(), offset, id, b.getLong()));
        }
        state.lastResults = List.copyOf(results);
    }

    private static String producerHex(Key key) {
        return Long.toHexString(key.producerId());
    }

    /** Whether a batch asks for de-duplication; fails when its messages disagree on producer or sequences. */
    static boolean wanted(List<dev.tern.common.message.Message> batch) {
        var head = batch.getFirst();
        if (head.producerId() == 0 || head.sequence() < 0) return false;
        for (int i = 0; i < batch.size(); i++) {
            var m = batch.get(i);
            if (m.producerId() != head.producerId() || m.sequence() != head.sequence() + i) {
                throw TernException.invalid("an idempotent batch needs one producer id and consecutive sequences; message " + i
                        + " has producer " + Long.toHexString(m.producerId()) + " and sequence " + m.sequence());
            }
        }
        return true;
    }
}
