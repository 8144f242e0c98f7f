package dev.tern.engine;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.message.Message;
import dev.tern.common.message.StoredMessage;
import dev.tern.store.api.Durability;
import dev.tern.store.api.ReadResult;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import static dev.tern.testsupport.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

@ParameterizedClass
@EnumSource(StoreKind.class)
@Timeout(60)
class SendPullTest {
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
    void aBatchRoundTripsByteForByte() {
        String t = h.topic(2);
        List<Message> batch = new ArrayList<>();
        for (int i = 0; i < 20; i++) batch.add(TestMessages.rich(i));
        List<SendResult> sent = result(h.engine().send(t, QueueTarget.queue(1), batch, Durability.SYNC));
        assertThat(sent).hasSize(20);
        for (int i = 0; i < 20; i++) {
            assertThat(sent.get(i).topic()).isEqualTo(t);
            assertThat(sent.get(i).queue()).isEqualTo(1);
            assertThat(sent.get(i).queueOffset()).isEqualTo(i);
        }
        try (PullResult pulled = h.pull(t, 1, 0, 100)) {
            assertThat(pulled.status()).isEqualTo(ReadResult.Status.FOUND);
            assertThat(pulled.nextOffset()).isEqualTo(20);
            assertThat(pulled.range().nextOffset()).isEqualTo(20);
            assertThat(pulled.records()).hasSize(20);
            for (int i = 0; i < 20; i++) {
                StoredRecord record = pulled.records().get(i);
                StoredMessage got = record.message();
                Message want = batch.get(i);
                assertThat(record.queueOffset()).isEqualTo(i);
                assertThat(got.body()).isEqualTo(want.body());
                assertThat(got.keys()).isEqualTo(want.keys());
                assertThat(got.tag()).isEqualTo(want.tag());
                assertThat(got.properties()).isEqualTo(want.properties());
                assertThat(got.bornTimestamp()).isEqualTo(want.bornTimestamp());
                assertThat(got.producerId()).isEqualTo(want.producerId());
                assertThat(got.sequence()).isEqualTo(want.sequence());
                assertThat(got.messageId()).isEqualTo(sent.get(i).messageId());
                assertThat(got.storeTimestamp()).isEqualTo(sent.get(i).storeTimestamp());
                assertThat(got.topic()).isEqualTo(t);
                assertThat(got.queue()).isEqualTo(1);
            }
        }
    }

    @Test
    void byKeyKeepsEachKeyOnOneQueue() {
        String t = h.topic(8);
        Map<String, Integer> queueOfKey = new HashMap<>();
        for (int round = 0; round < 5; round++) {
            for (int k = 0; k < 50; k++) {
                String key = "customer-" + k;
                int q = h.send(t, QueueTarget.key(key), TestMessages.keyed("r" + round, key)).getFirst().queue();
                assertThat(queueOfKey.computeIfAbsent(key, x -> q)).as(key).isEqualTo(q);
                assertThat(q).isEqualTo(KeyHash.queueOf(key, 8));
            }
        }
        assertThat(new HashSet<>(queueOfKey.values())).as("50 keys spread over several queues").hasSizeGreaterThan(4);
        Expect.fails(h.engine().send(t, new QueueTarget.ByKey(null), List.of(TestMessages.text("x")), null), ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void roundRobinSpreadsEvenly() {
        String t = h.topic(4);
        int[] perQueue = new int[4];
        for (int i = 0; i < 40; i++) perQueue[h.send(t, QueueTarget.roundRobin(), TestMessages.text("m" + i)).getFirst().queue()]++;
        assertThat(perQueue).containsExactly(10, 10, 10, 10);
    }

    @Test
    void badSendsFailWithTheirCode() {
        String t = h.topic(4);
        List<Message> one = List.of(TestMessages.text("x"));
        assertThat(Expect.fails(h.engine().send(t, QueueTarget.queue(4), one, null), ErrorCode.QUEUE_NOT_FOUND)).hasMessageContaining("0 to 3");
        Expect.fails(h.engine().send(t, QueueTarget.queue(-1), one, null), ErrorCode.QUEUE_NOT_FOUND);
        Expect.fails(h.engine().send(t, null, one, null), ErrorCode.INVALID_ARGUMENT);
        Expect.fails(h.engine().send(t, QueueTarget.roundRobin(), List.of(), null), ErrorCode.INVALID_ARGUMENT);
        Expect.fails(h.engine().send(t, QueueTarget.roundRobin(), null, null), ErrorCode.INVALID_ARGUMENT);
        Expect.fails(h.engine().send("bad name", QueueTarget.roundRobin(), one, null), ErrorCode.INVALID_ARGUMENT);
        Expect.fails(h.engine().send(t, QueueTarget.roundRobin(), List.of(TestMessages.sized(StoreKind.MAX_MESSAGE_BYTES)), null),
                ErrorCode.MESSAGE_TOO_LARGE);
        assertThat(result(h.engine().topics().describe(t)).orElseThrow().messages()).isZero();
    }

    @Test
    void pullsOutsideTheQueueSayWhereToGoOn() {
        String t = h.topic(1);
        h.send(t, 0, TestMessages.text("a"));
        try (PullResult big = h.pull(t, 0, 5, 10)) {
            assertThat(big.status()).isEqualTo(ReadResult.Status.OFFSET_TOO_BIG);
            assertThat(big.nextOffset()).isEqualTo(1);
        }
        try (PullResult small = h.pull(t, 0, -1, 10)) {
            assertThat(small.status()).isEqualTo(ReadResult.Status.OFFSET_TOO_SMALL);
            assertThat(small.nextOffset()).isZero();
        }
        Expect.fails(h.engine().pull(new PullRequest(t, 1, 0, 10, Duration.ZERO)), ErrorCode.QUEUE_NOT_FOUND);
        Expect.fails(h.engine().pull(new PullRequest("nope", 0, 0, 10, Duration.ZERO)), ErrorCode.TOPIC_NOT_FOUND);
        Expect.fails(h.engine().pull(new PullRequest(t, 0, 0, 0, Duration.ZERO)), ErrorCode.INVALID_ARGUMENT);
        Expect.fails(h.engine().pull(new PullRequest(t, 0, 0, 1, Duration.ofSeconds(-1))), ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void messagesKeepTheirOrderPerQueue() throws Exception {
        String t = h.topic(4);
        int producers = 4, perProducer = 100;
        ExecutorService pool = Executors.newFixedThreadPool(producers);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                String key = "producer-" + p;
                running.add(pool.submit(() -> {
                    for (int i = 0; i < perProducer; i++) h.send(t, QueueTarget.key(key), TestMessages.keyed(key + ":" + i, key));
                }));
            }
            for (Future<?> f : running) f.get();
        } finally {
            pool.shutdownNow();
        }
        Map<String, Integer> nextOfKey = new HashMap<>();
        int total = 0;
        for (int q = 0; q < 4; q++) {
            long previousOffset = -1;
            for (StoredMessage m : h.pullAll(t, q, 0, null)) {
                assertThat(m.queueOffset()).isEqualTo(previousOffset + 1);
                previousOffset = m.queueOffset();
                String[] parts = m.bodyAsString().split(":");
                int expected = nextOfKey.getOrDefault(parts[0], 0);
                assertThat(Integer.parseInt(parts[1])).as("order of " + parts[0]).isEqualTo(expected);
                nextOfKey.put(parts[0], expected + 1);
                total++;
            }
        }
        assertThat(total).isEqualTo(producers * perProducer);
        assertThat(nextOfKey.values()).containsOnly(perProducer);
    }

    @Test
    void futuresNeverCompleteOnStoreThreads() {
        String t = h.topic(1);
        Set<String> threads = ConcurrentHashMap.newKeySet();
        List<java.util.concurrent.CompletableFuture<?>> all = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            all.add(h.engine().send(t, QueueTarget.queue(0), List.of(TestMessages.text("m" + i)), Durability.SYNC)
                    .thenRun(() -> threads.add(Thread.currentThread().getName())));
            all.add(h.engine().pull(new PullRequest(t, 0, i, 1, Duration.ofSeconds(5)))
                    .thenAccept(r -> {
                        threads.add(Thread.currentThread().getName());
                        r.close();
                    }));
        }
        all.forEach(f -> result(f));
        String me = Thread.currentThread().getName();
        assertThat(threads).allMatch(name -> name.startsWith("tern-engine-") || name.equals(me), "engine or caller thread");
        assertThat(threads).anyMatch(name -> name.startsWith("tern-engine-"));
    }

    @Test
    void metricsSeeSendsAndPulls() {
        AtomicLong sent = new AtomicLong(), bytes = new AtomicLong(), pulled = new AtomicLong(), failed = new AtomicLong();
        EngineMetrics metrics = new EngineMetrics() {
            @Override
            public void sent(String topic, int messages, long bodyBytes, long latencyNanos) {
                sent.addAndGet(messages);
                bytes.addAndGet(bodyBytes);
                assertThat(latencyNanos).isPositive();
            }

            @Override
            public void sendFailed(String topic, ErrorCode code) {
                failed.incrementAndGet();
            }

            @Override
            public void pulled(String topic, int messages, long recordBytes) {
                pulled.addAndGet(messages);
            }
        };
        h.close();
        h = new EngineHarness(kind, dir.resolve("metrics"), dev.tern.common.Clock.SYSTEM, EngineConfig.defaults(), metrics);
        String t = h.topic(1);
        h.send(t, QueueTarget.queue(0), TestMessages.text("abc"), TestMessages.text("de"));
        h.pull(t, 0, 0, 10).close();
        Expect.fails(h.engine().send("missing", QueueTarget.roundRobin(), List.of(TestMessages.text("x")), null), ErrorCode.TOPIC_NOT_FOUND);
        assertThat(sent).hasValue(2);
        assertThat(bytes).hasValue(5);
        assertThat(pulled).hasValue(2);
        assertThat(failed).hasValue(1);
    }
}
