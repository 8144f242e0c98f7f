package dev.tern.engine;

import dev.tern.common.message.StoredMessage;
import dev.tern.store.api.StoredRecord;
import dev.tern.testsupport.TestMessages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.tern.testsupport.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

@ParameterizedClass
@EnumSource(StoreKind.class)
@Timeout(120)
class ConcurrencyTest {
    @Parameter
    StoreKind kind;
    @TempDir
    Path dir;
    EngineHarness h;

    @BeforeEach
    void open() {
        h = new EngineHarness(kind, dir);
    }

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void producersAndLongPollingConsumersRunTogether() throws Exception {
        int queues = 4, producers = 4, perProducer = 250, total = producers * perProducer;
        String t = h.topic(queues);
        ExecutorService pool = Executors.newFixedThreadPool(producers + queues);
        ConcurrentLinkedQueue<StoredMessage> received = new ConcurrentLinkedQueue<>();
        AtomicInteger count = new AtomicInteger();
        try {
            List<Future<?>> consumers = new ArrayList<>();
            for (int q = 0; q < queues; q++) {
                int queue = q;
                consumers.add(pool.submit(() -> {
                    long next = 0;
                    while (count.get() < total) {
                        try (PullResult r = result(h.engine().pull(new PullRequest(t, queue, next, 64, Duration.ofMillis(500))))) {
                            for (StoredRecord rec : r.records()) {
                                assertThat(rec.queueOffset()).isEqualTo(next++);
                                received.add(rec.message());
                                count.incrementAndGet();
                            }
                            next = Math.max(next, r.nextOffset());
                        }
                    }
                }));
            }
            List<Future<?>> senders = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                String key = "producer-" + p;
                boolean byKey = p % 2 == 0;
                senders.add(pool.submit(() -> {
                    for (int i = 0; i < perProducer; i++) {
                        QueueTarget target = byKey ? QueueTarget.key(key) : QueueTarget.roundRobin();
                        h.send(t, target, TestMessages.keyed(key + ":" + i, key));
                    }
                }));
            }
            for (Future<?> f : senders) f.get();
            for (Future<?> f : consumers) f.get();
        } finally {
            pool.shutdownNow();
        }
        assertThat(received).hasSize(total);
        assertThat(received.stream().map(StoredMessage::bodyAsString).distinct()).hasSize(total);
        // messages of one key sent to one queue arrive in the order they were sent
        Map<String, Integer> next = new HashMap<>();
        List<StoredMessage> sorted = received.stream()
                .sorted(java.util.Comparator.comparingInt(StoredMessage::queue).thenComparingLong(StoredMessage::queueOffset)).toList();
        for (StoredMessage m : sorted) {
            String[] parts = m.bodyAsString().split(":");
            if (!parts[0].equals("producer-0") && !parts[0].equals("producer-2")) continue;
            int expected = next.getOrDefault(parts[0], 0);
            assertThat(Integer.parseInt(parts[1])).isEqualTo(expected);
            next.put(parts[0], expected + 1);
        }
    }
}
