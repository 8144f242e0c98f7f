package dev.tern.testsupport;

import dev.tern.common.message.Message;
import dev.tern.store.api.AppendResult;
import dev.tern.store.api.Durability;
import dev.tern.store.api.MessageStore;
import dev.tern.store.api.ReadRequest;
import dev.tern.store.api.ReadResult;
import dev.tern.store.api.StoredRecord;
import dev.tern.store.api.TopicInfo;
import dev.tern.store.api.TopicSpec;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.IntPredicate;

/**
 * The store under test in one contract test, and the few steps most tests repeat. Owns the store it
 * opens: {@link #reopen} closes it and opens a new one over the same directory, {@link #close} closes it.
 */
public final class StoreFixture implements AutoCloseable {
    private final Function<Path, MessageStore> opener;
    private final Path dir;
    private final boolean survivesReopen;
    private final Runnable clockAdvancer;
    private final AtomicInteger topicNames = new AtomicInteger();
    private MessageStore store;

    /**
     * Opens a store with {@code opener} over {@code dir}. Most tests get a fixture from
     * {@link MessageStoreContract}; this is for tests that mix in only some contract interfaces.
     *
     * @param clockAdvancer makes the store's later timestamps exceed all earlier ones (see {@link #advanceClock})
     */
    public StoreFixture(Function<Path, MessageStore> opener, Path dir, boolean survivesReopen, Runnable clockAdvancer) {
        this.opener = opener;
        this.dir = dir;
        this.survivesReopen = survivesReopen;
        this.clockAdvancer = clockAdvancer;
        this.store = opener.apply(dir);
    }

    public MessageStore store() {
        return store;
    }

    public Path dir() {
        return dir;
    }

    public boolean survivesReopen() {
        return survivesReopen;
    }

    /** Closes the store and opens a new one over the same directory. */
    public MessageStore reopen() {
        store.close();
        store = opener.apply(dir);
        return store;
    }

    /** Makes every store timestamp given from now on later than every one given so far. */
    public void advanceClock() {
        clockAdvancer.run();
    }

    /** Creates a topic with a fresh name and {@code queues} queues; returns its name. */
    public String newTopic(int queues) {
        String name = "topic-" + topicNames.incrementAndGet();
        create(name, queues);
        return name;
    }

    public TopicInfo create(String name, int queues) {
        return Await.result(store.topics().create(new TopicSpec(name, queues)));
    }

    public AppendResult append(String topic, int queue, Message message) {
        return appendBatch(topic, queue, List.of(message)).getFirst();
    }

    public List<AppendResult> appendBatch(String topic, int queue, List<Message> batch) {
        return Await.result(store.log().append(topic, queue, batch, Durability.ASYNC));
    }

    /** One read; the result is closed by the caller. */
    public ReadResult read(ReadRequest request) {
        return Await.result(store.log().read(request));
    }

    /**
     * Every record of a queue from {@code offset} to its end, in reads of at most {@code batch} records,
     * with the given tag filter (null for none). The records' buffers are copied before each read is closed.
     */
    public List<StoredRecord> readAll(String topic, int queue, long offset, int batch, IntPredicate filter) {
        List<StoredRecord> all = new ArrayList<>();
        long next = offset;
        long end = Await.result(store.log().range(topic, queue)).nextOffset();
        for (int reads = 0; next < end; reads++) {
            if (reads > 100_000) throw new AssertionError("reading " + topic + "/" + queue + " makes no progress at " + next);
            try (ReadResult r = read(new ReadRequest(topic, queue, next, batch).withTagFilter(filter))) {
                if (r.status() == ReadResult.Status.FOUND) {
                    for (StoredRecord rec : r.records()) all.add(copy(rec));
                } else if (r.status() != ReadResult.Status.NO_MESSAGES) {
                    throw new AssertionError("unexpected " + r.status() + " reading " + topic + "/" + queue + " at " + next);
                }
                if (r.nextOffset() <= next) throw new AssertionError("read at " + next + " did not advance: " + r.nextOffset());
                next = r.nextOffset();
            }
        }
        return all;
    }

    /** A record whose buffer outlives the read it came from. */
    public static StoredRecord copy(StoredRecord r) {
        ByteBuffer b = ByteBuffer.allocate(r.size());
        b.put(r.buffer().duplicate()).flip();
        return new StoredRecord(r.queueOffset(), r.tagHash(), r.storeTimestamp(), b.asReadOnlyBuffer());
    }

    @Override
    public void close() {
        store.close();
    }
}
