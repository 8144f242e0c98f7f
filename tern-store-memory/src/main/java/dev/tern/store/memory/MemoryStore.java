package dev.tern.store.memory;

import dev.tern.common.Clock;
import dev.tern.store.api.GroupOffsets;
import dev.tern.store.api.MessageLog;
import dev.tern.store.api.MessageLookup;
import dev.tern.store.api.MessageStore;
import dev.tern.store.api.MetadataStore;
import dev.tern.store.api.TopicCatalog;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link MessageStore} that keeps everything in memory and forgets it on close: the second
 * implementation of the store SPI, so that the engine's tests run on both and the interface stays honest.
 * <p>
 * Records are kept in the {@link dev.tern.common.codec.RecordCodec} format, exactly as the local store
 * writes them, and reads return read-only views of those bytes. Every future is complete when returned;
 * durability levels make no difference. Message ids are (store timestamp, store-wide sequence). Nothing
 * is ever removed except by deleting a topic, so every queue's range starts at 0.
 * <p>
 * Locking: each queue has a read-write lock, taken alone (a queue's append also updates the id and key
 * indexes, which are concurrent maps, and calls the append listeners under it, so they see a queue's
 * offsets in order); the metadata area has its own lock; group offsets lock per topic. No thread ever
 * holds two of these locks, so there is no lock order to keep.
 */
public final class MemoryStore implements MessageStore {
    /** The default largest encoded message, 4 MiB, as for the local store. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

    private final Gate gate = new Gate();
    private final AppendListeners listeners = new AppendListeners();
    private final MemoryTopics topics;
    private final MemoryLog log;
    private final MemoryLookup lookup;
    private final MemoryOffsets offsets;
    private final MemoryMetadata metadata;

    /** A store on the system clock with the default message size limit. */
    public MemoryStore() {
        this(Clock.SYSTEM);
    }

    public MemoryStore(Clock clock) {
        this(clock, DEFAULT_MAX_MESSAGE_BYTES);
    }

    /**
     * @param clock           stamps messages and topics; a test passes a clock it can move
     * @param maxMessageBytes the largest encoded message accepted, see {@link MessageLog#maxMessageBytes()}
     */
    public MemoryStore(Clock clock, int maxMessageBytes) {
        if (clock == null) throw new IllegalArgumentException("clock is required");
        if (maxMessageBytes < 1) throw new IllegalArgumentException("maxMessageBytes must be positive: " + maxMessageBytes);
        IdIndex ids = new IdIndex();
        MemoryContext context = new MemoryContext(clock, new AtomicLong(), ids, listeners);
        this.topics = new MemoryTopics(gate, context);
        this.log = new MemoryLog(gate, topics, listeners, maxMessageBytes);
        this.lookup = new MemoryLookup(gate, topics, ids);
        this.offsets = new MemoryOffsets(gate, topics);
        this.metadata = new MemoryMetadata(gate);
    }

    @Override
    public TopicCatalog topics() {
        return topics;
    }

    @Override
    public MessageLog log() {
        return log;
    }

    @Override
    public MessageLookup lookup() {
        return lookup;
    }

    @Override
    public GroupOffsets offsets() {
        return offsets;
    }

    @Override
    public MetadataStore metadata() {
        return metadata;
    }

    /** Refuses all further work; the data goes with the object. */
    @Override
    public void close() {
        gate.close();
        listeners.clear();
    }
}
