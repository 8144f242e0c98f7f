package dev.tern.engine;

import dev.tern.common.Clock;
import dev.tern.store.api.MessageStore;
import dev.tern.store.local.LocalStore;
import dev.tern.store.local.LocalStoreConfig;
import dev.tern.store.memory.MemoryStore;

import java.nio.file.Path;

/** The stores the engine's tests run on: both implementations of the SPI. */
enum StoreKind {
    MEMORY {
        @Override
        MessageStore open(Path dir, Clock clock) {
            return new MemoryStore(clock, MAX_MESSAGE_BYTES);
        }
    },
    LOCAL {
        @Override
        MessageStore open(Path dir, Clock clock) {
            return LocalStore.open(LocalStoreConfig.defaults(dir).withSegmentBytes(1 << 20).withMaxMessageBytes(MAX_MESSAGE_BYTES)
                    .withQueueEntriesPerFile(1024).withClock(clock));
        }
    };

    static final int MAX_MESSAGE_BYTES = 64 * 1024;

    abstract MessageStore open(Path dir, Clock clock);
}
