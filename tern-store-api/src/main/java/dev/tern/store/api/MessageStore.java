package dev.tern.store.api;

/**
 * A message store: the storage half of Tern, behind which the engine never reaches. It is split into
 * facets, each a narrow contract of its own:
 * <ul>
 *   <li>{@link #topics()} — topic metadata;</li>
 *   <li>{@link #log()} — appending to and reading from the queues of a topic;</li>
 *   <li>{@link #lookup()} — finding messages by id, by key and by time;</li>
 *   <li>{@link #offsets()} — consumer-group offsets;</li>
 *   <li>{@link #metadata()} — a small durable key-value area for the engine's own state.</li>
 * </ul>
 * Every operation is asynchronous, so that group commit and a remote, replicated store fit behind the
 * same interface. A future fails with a {@link dev.tern.common.error.TernException} whose code names the
 * problem (for example TOPIC_NOT_FOUND, STORAGE_FULL, CORRUPT_RECORD). Implementations are thread-safe.
 */
public interface MessageStore extends AutoCloseable {

    TopicCatalog topics();

    MessageLog log();

    MessageLookup lookup();

    GroupOffsets offsets();

    MetadataStore metadata();

    /**
     * Why the store refuses writes, or empty while it takes them. A store turns read-only when it can no
     * longer promise durability (a failed fsync anywhere: the log, an index file, a directory, the
     * metadata), and stays so until restarted; reads go on. Health checks report it.
     */
    default java.util.Optional<String> readOnlyReason() {
        return java.util.Optional.empty();
    }

    /**
     * Stops accepting work, makes everything appended so far durable and releases resources. Operations
     * after close fail with STORE_CLOSED. Idempotent.
     */
    @Override
    void close();
}
