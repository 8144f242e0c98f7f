package dev.tern.bench.store;

import dev.tern.common.codec.RecordCodec;
import dev.tern.common.message.Message;
import dev.tern.store.api.MessageLog;
import dev.tern.store.api.TopicSpec;
import dev.tern.store.local.LocalStore;
import dev.tern.store.local.LocalStoreConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * A real {@link LocalStore} in a fresh directory under {@code java.io.tmpdir}, holding one topic of
 * {@link #QUEUES} queues; {@link #close()} closes the store and deletes the directory. Run the
 * benchmarks with {@code -Djava.io.tmpdir=DIR} to measure another file system.
 */
final class BenchStore implements AutoCloseable {
    static final String TOPIC = "bench";
    static final int QUEUES = 8;
    static final int BODY_BYTES = 1024;
    /**
     * Segments of 256 MiB and at most 2 GiB of log kept, checked every second, so that a long append run
     * does not fill the disk (a deleted segment's space comes back when its map is garbage collected:
     * see {@link AppendBenchmark#releaseDeletedSegments()}).
     */
    static final long SEGMENT_BYTES = 256L << 20;
    static final long RETENTION_BYTES = 2L << 30;

    private final Path dir;
    private final LocalStore store;

    BenchStore(String name) {
        try {
            dir = Files.createTempDirectory("tern-bench-" + name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        store = LocalStore.open(LocalStoreConfig.defaults(dir)
                .withSegmentBytes(SEGMENT_BYTES)
                .withRetention(-1, RETENTION_BYTES)
                .withRetentionCheckMs(1000));
        store.topics().create(new TopicSpec(TOPIC, QUEUES)).join();
        System.err.printf("tern-bench: store in %s, topic '%s' with %d queues, %d-byte bodies (%d bytes per stored record)%n",
                dir, TOPIC, QUEUES, BODY_BYTES, recordBytes());
    }

    MessageLog log() {
        return store.log();
    }

    /** A batch of one message with a random (incompressible) 1 KiB body. */
    static List<Message> oneMessage(long seed) {
        byte[] body = new byte[BODY_BYTES];
        new SplittableRandom(seed).nextBytes(body);
        return List.of(Message.builder(body).build());
    }

    /** The size of one benchmark message as the store writes it (header, topic name, body). */
    static int recordBytes() {
        return RecordCodec.prepare(oneMessage(0).getFirst(), TOPIC, 0, 0).length;
    }

    @Override
    public void close() {
        store.close();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
