package dev.tern.client;

import dev.tern.common.message.Message;
import dev.tern.engine.GroupDescription;
import dev.tern.engine.SendResult;
import dev.tern.engine.StartPosition;
import dev.tern.protocol.fixture.ServerFixture;
import dev.tern.store.api.ReadResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.tern.testsupport.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/** Producer and consumer end to end: a real client, a real server, a real engine on a real local store. */
class ProduceConsumeTest {
    @TempDir
    Path dir;
    private ServerFixture node;
    private TernClient client;

    @BeforeEach
    void setUp() {
        node = ServerFixture.start(dir);
        client = TernClient.connect(node.address());
    }

    @AfterEach
    void tearDown() {
        client.close();
        node.close();
    }

    @Test
    void tenThousandMessagesArriveOnceEachInOrderPerQueueAndPerKey() {
        client.admin().createTopic("orders", 4);
        List<CompletableFuture<SendResult>> sent = new ArrayList<>();
        try (Producer producer = client.producer()) {
            for (int i = 0; i < 10_000; i++) {
                Message m = Message.builder(("order-" + i).getBytes(StandardCharsets.UTF_8))
                        .keys("customer-" + (i % 37)).properties(Map.of("seq", String.valueOf(i))).build();
                sent.add(producer.sendAsync("orders", m));
            }
            producer.flush();
        }
        assertThat(sent).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());

        List<ReceivedMessage> received = new ArrayList<>();
        try (Consumer consumer = client.consumer(ConsumerConfig.group("billing").withStart(StartPosition.earliest()))) {
            consumer.subscribe("orders");
            await().until(() -> {
                received.addAll(consumer.poll(Duration.ofMillis(200)));
                return received.size() >= 10_000;
            });
            assertThat(consumer.poll(Duration.ofMillis(300))).as("nothing more").isEmpty();
        }
        assertThat(received).hasSize(10_000);
        assertOrderedPerQueueAndKey(received);
        Set<String> bodies = new HashSet<>();
        received.forEach(m -> bodies.add(m.bodyAsString()));
        assertThat(bodies).hasSize(10_000);
        await().until(() -> client.admin().describeGroup("billing").map(GroupDescription::totalLag).orElse(-1L) == 0);
    }

    static void assertOrderedPerQueueAndKey(List<ReceivedMessage> received) {
        Map<Integer, Long> lastOffset = new HashMap<>();
        Map<String, Integer> lastSeq = new HashMap<>();
        Map<String, Integer> queueOfKey = new HashMap<>();
        for (ReceivedMessage m : received) {
            Long prev = lastOffset.put(m.queue(), m.offset());
            if (prev != null) assertThat(m.offset()).as("offsets of queue %d", m.queue()).isGreaterThan(prev);
            String key = m.keys().getFirst();
            int seq = Integer.parseInt(m.properties().get("seq"));
            Integer prevSeq = lastSeq.put(key, seq);
            if (prevSeq != null) assertThat(seq).as("sequence of %s", key).isGreaterThan(prevSeq);
            Integer q = queueOfKey.putIfAbsent(key, m.queue());
            if (q != null) assertThat(m.queue()).as("queue of %s", key).isEqualTo(q);
        }
    }

    @Test
    void syncSendsReportWhereEachMessageWasStored() {
        client.admin().createTopic("t", 3);
        try (Producer producer = client.producer()) {
            SendResult explicit = producer.send("t", 2, Message.of("to queue 2"));
            assertThat(explicit.queue()).isEqualTo(2);
            assertThat(explicit.queueOffset()).isZero();
            assertThat(explicit.topic()).isEqualTo("t");
            assertThat(producer.send("t", 2, Message.of("again")).queueOffset()).isEqualTo(1);
            Set<Integer> queues = new HashSet<>();
            for (int i = 0; i < 30; i++) queues.add(producer.send("t", Message.of("rr " + i)).queue());
            assertThat(queues).as("round robin spreads unkeyed messages").containsExactlyInAnyOrder(0, 1, 2);
        }
        PullBatch batch = client.consumer(ConsumerConfig.noGroup()).pull("t", 2, 0, 10, Duration.ZERO);
        assertThat(batch.status()).isEqualTo(ReadResult.Status.FOUND);
        assertThat(batch.messages()).extracting(ReceivedMessage::bodyAsString).startsWith("to queue 2", "again");
    }

    @Test
    void pullForToolsReportsTooSmallAndTooBigOffsets() {
        client.admin().createTopic("t", 1);
        try (Producer producer = client.producer()) {
            producer.send("t", Message.of("only"));
        }
        Consumer tool = client.consumer(ConsumerConfig.noGroup());
        PullBatch tooBig = tool.pull("t", 0, 50, 10, Duration.ZERO);
        assertThat(tooBig.status()).isEqualTo(ReadResult.Status.OFFSET_TOO_BIG);
        assertThat(tooBig.nextOffset()).isEqualTo(1);
        PullBatch empty = tool.pull("t", 0, 1, 10, Duration.ofMillis(100));
        assertThat(empty.status()).isEqualTo(ReadResult.Status.NO_MESSAGES);
        assertThat(empty.messages()).isEmpty();
        tool.close();
    }

    @Test
    void manualCommitCommitsWhatWasPolled() {
        client.admin().createTopic("t", 1);
        try (Producer producer = client.producer()) {
            for (int i = 0; i < 10; i++) producer.send("t", Message.of("m" + i));
        }
        ConsumerConfig config = ConsumerConfig.group("manual").withStart(StartPosition.earliest()).withAutoCommit(false);
        try (Consumer consumer = client.consumer(config)) {
            consumer.subscribe("t");
            List<ReceivedMessage> got = new ArrayList<>();
            await().until(() -> {
                got.addAll(consumer.poll(Duration.ofMillis(100)));
                return got.size() == 10;
            });
            assertThat(lag("manual")).isEqualTo(10);
            consumer.commit();
            assertThat(lag("manual")).isZero();
        }
    }

    @Test
    void seekRereadsAQueue() {
        client.admin().createTopic("t", 1);
        try (Producer producer = client.producer()) {
            for (int i = 0; i < 5; i++) producer.send("t", Message.of("m" + i));
        }
        try (Consumer consumer = client.consumer(ConsumerConfig.group("seeker").withStart(StartPosition.earliest()))) {
            consumer.subscribe("t");
            List<ReceivedMessage> got = new ArrayList<>();
            await().until(() -> {
                got.addAll(consumer.poll(Duration.ofMillis(100)));
                return got.size() == 5;
            });
            consumer.seek("t", 0, 3);
            List<ReceivedMessage> again = new ArrayList<>();
            await().until(() -> {
                again.addAll(consumer.poll(Duration.ofMillis(100)));
                return again.size() == 2;
            });
            assertThat(again).extracting(ReceivedMessage::offset).containsExactly(3L, 4L);
        }
    }

    @Test
    void pushModeCallsTheListenerAndCommitsAfterIt() {
        client.admin().createTopic("t", 2);
        List<String> seen = new CopyOnWriteArrayList<>();
        try (Consumer consumer = client.consumer(ConsumerConfig.group("push").withStart(StartPosition.earliest()))) {
            consumer.subscribe("t");
            consumer.start(m -> seen.add(m.bodyAsString()));
            try (Producer producer = client.producer()) {
                for (int i = 0; i < 200; i++) producer.sendAsync("t", Message.of("p" + i));
                producer.flush();
            }
            await().until(() -> seen.size() == 200);
            await().until(() -> lag("push") == 0);
        }
        assertThat(new HashSet<>(seen)).hasSize(200);
    }

    @Test
    void aListenerThatThrowsGetsTheMessageAgainInOrder() {
        client.admin().createTopic("t", 1);
        try (Producer producer = client.producer()) {
            for (int i = 0; i < 5; i++) producer.send("t", Message.of("m" + i));
        }
        List<String> seen = new CopyOnWriteArrayList<>();
        Set<String> failedOnce = java.util.concurrent.ConcurrentHashMap.newKeySet();
        try (Consumer consumer = client.consumer(ConsumerConfig.group("flaky").withStart(StartPosition.earliest()))) {
            consumer.subscribe("t");
            consumer.start(m -> {
                if (m.bodyAsString().equals("m2") && failedOnce.add("m2")) throw new IllegalStateException("boom");
                seen.add(m.bodyAsString());
            });
            await().until(() -> seen.size() == 5);
            await().until(() -> lag("flaky") == 0);
        }
        assertThat(seen).containsExactly("m0", "m1", "m2", "m3", "m4");
    }

    private long lag(String group) {
        return client.admin().describeGroup(group).map(GroupDescription::totalLag).orElse(-1L);
    }
}
