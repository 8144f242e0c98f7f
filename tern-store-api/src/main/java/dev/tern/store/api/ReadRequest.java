package dev.tern.store.api;

import java.util.function.IntPredicate;

/**
 * A read of one queue from {@code offset}: at most {@code maxMessages} records and about
 * {@code maxBytes} (the first record is returned even if it alone is larger). When {@code tagFilter} is
 * not null, only records whose tag hash ({@link dev.tern.common.codec.RecordCodec#tagHash}) it accepts
 * are returned; the store decides this from its index, without reading the skipped messages.
 * <p>
 * {@code maxMessages} and {@code maxBytes} must be at least 1, else the read fails with INVALID_ARGUMENT.
 * A negative {@code offset} is below every queue's range: the read answers OFFSET_TOO_SMALL. See
 * {@link MessageLog#read} for what each outcome means.
 */
public record ReadRequest(String topic, int queue, long offset, int maxMessages, int maxBytes, IntPredicate tagFilter) {

    public ReadRequest(String topic, int queue, long offset, int maxMessages) {
        this(topic, queue, offset, maxMessages, 4 * 1024 * 1024, null);
    }

    public ReadRequest withTagFilter(IntPredicate filter) {
        return new ReadRequest(topic, queue, offset, maxMessages, maxBytes, filter);
    }

    public ReadRequest withMaxBytes(int bytes) {
        return new ReadRequest(topic, queue, offset, maxMessages, bytes, tagFilter);
    }
}
