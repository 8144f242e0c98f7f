package dev.tern.engine;

import dev.tern.common.Names;
import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.common.message.MessageId;
import dev.tern.common.message.StoredMessage;
import dev.tern.store.api.MessageStore;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Lookups: validates, asks the store's {@link dev.tern.store.api.MessageLookup}, completes on a worker. */
final class DefaultMessageQuery implements MessageQuery {
    private final EngineContext context;
    private final MessageStore store;

    DefaultMessageQuery(EngineContext context, MessageStore store) {
        this.context = context;
        this.store = store;
    }

    @Override
    public CompletableFuture<Long> offsetForTime(String topic, int queue, long timestamp) {
        return context.hop(Failures.guard(() -> {
            context.checkOpen();
            Names.checkTopic(topic);
            if (queue < 0) throw new TernException(ErrorCode.QUEUE_NOT_FOUND, "queue numbers start at 0, not " + queue);
            return store.lookup().offsetForTime(topic, queue, timestamp);
        }));
    }

    @Override
    public CompletableFuture<Optional<StoredMessage>> byId(MessageId id) {
        return context.hop(Failures.guard(() -> {
            context.checkOpen();
            Failures.require(id, "a message id");
            return store.lookup().byId(id);
        }));
    }

    @Override
    public CompletableFuture<List<StoredMessage>> byKey(String topic, String key, int limit) {
        return context.hop(Failures.guard(() -> {
            context.checkOpen();
            Names.checkTopic(topic);
            if (key == null || key.isEmpty()) throw TernException.invalid("the key to look up is empty");
            if (limit < 1 || limit > MAX_KEY_LIMIT) {
                throw TernException.invalid("a lookup by key returns 1 to " + MAX_KEY_LIMIT + " messages, not " + limit);
            }
            return store.lookup().byKey(topic, key, limit);
        }));
    }
}
