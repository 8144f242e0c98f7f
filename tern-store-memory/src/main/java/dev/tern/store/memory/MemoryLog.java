package dev.tern.store.memory;

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

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The queues' append and read paths. Durability is moot in memory: every append completes at once. */
final class MemoryLog implements MessageLog {
    private final Gate gate;
    private final MemoryTopics topics;
    private final AppendListeners listeners;
    private final int maxMessageBytes;

    MemoryLog(Gate gate, MemoryTopics topics, AppendListeners listeners, int maxMessageBytes) {
        this.gate = gate;
        this.topics = topics;
        this.listeners = listeners;
        this.maxMessageBytes = maxMessageBytes;
    }

    @Override
    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    @Override
    public CompletableFuture<List<AppendResult>> append(String topic, int queue, List<Message> batch, Durability durability) {
        return gate.call(() -> {
            if (batch == null || batch.isEmpty()) throw TernException.invalid("an append needs at least one message");
            if (durability == null) throw TernException.invalid("no durability given");
            MemoryTopic t = topics.require(topic);
            MemoryQueue q = t.queue(queue);
            // encoded before taking the queue's lock, and the whole batch checked before any of it is stored
            List<Encoded> encoded = new ArrayList<>(batch.size());
            for (Message m : batch) encoded.add(encode(t, queue, m));
            return q.append(encoded).stream().map(QueueEntry::result).toList();
        });
    }

    private Encoded encode(MemoryTopic t, int queue, Message m) {
        if (m == null) throw TernException.invalid("a batch holds a null message");
        byte[] bytes = RecordCodec.prepare(m, t.name(), t.info().topicId(), queue);
        if (bytes.length > maxMessageBytes) {
            throw new TernException(ErrorCode.MESSAGE_TOO_LARGE,
                    "message of " + bytes.length + " bytes (encoded) exceeds the limit of " + maxMessageBytes + " bytes");
        }
        return new Encoded(bytes, RecordCodec.tagHash(m.tag()), m.keys());
    }

    @Override
    public CompletableFuture<ReadResult> read(ReadRequest request) {
        return gate.call(() -> {
            if (request == null) throw TernException.invalid("no read request");
            if (request.maxMessages() < 1) throw TernException.invalid("maxMessages must be at least 1, not " + request.maxMessages());
            if (request.maxBytes() < 1) throw TernException.invalid("maxBytes must be at least 1, not " + request.maxBytes());
            MemoryQueue q = topics.require(request.topic()).queue(request.queue());
            return q.read(request.offset(), request.maxMessages(), request.maxBytes(), request.tagFilter());
        });
    }

    @Override
    public CompletableFuture<QueueRange> range(String topic, int queue) {
        return gate.call(() -> topics.require(topic).queue(queue).range());
    }

    @Override
    public CompletableFuture<Long> storedBytes(String topic) {
        return gate.call(() -> topics.require(topic).storedBytes());
    }

    @Override
    public AutoCloseable addAppendListener(AppendListener listener) {
        if (listener == null) throw TernException.invalid("no listener");
        gate.checkOpen();
        return listeners.add(listener);
    }
}
