package dev.tern.client;

import dev.tern.common.message.Message;
import dev.tern.engine.StartPosition;
import dev.tern.engine.TopicDescription;
import dev.tern.protocol.fixture.ServerFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static dev.tern.testsupport.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/** Closing server, engine and store and opening them again on the same directory loses nothing a client relied on. */
class RestartTest {
    @TempDir
    Path dir;
    private ServerFixture node;

    @BeforeEach
    void setUp() {
        node = ServerFixture.start(dir);
    }

    @AfterEach
    void tearDown() {
        node.close();
    }

    @Test
    void messagesAndCommittedOffsetsSurviveARestart() {
        Set<String> firstHalf = new HashSet<>();
        try (TernClient client = TernClient.connect(node.address())) {
            client.admin().createTopic("ledger", 3);
            try (Producer producer = client.producer()) {
                List<CompletableFuture<?>> sent = new ArrayList<>();
                for (int i = 0; i < 1_000; i++) {
                    sent.add(producer.sendAsync("ledger", Message.builder(("entry-" + i).getBytes())
                            .keys("account-" + (i % 13)).properties(Map.of("seq", String.valueOf(i))).build()));
                }
                sent.forEach(CompletableFuture::join);
            }
            ConsumerConfig config = ConsumerConfig.group("audit").withStart(StartPosition.earliest()).withAutoCommit(false)
                    .withMaxPollMessages(100);
            try (Consumer consumer = client.consumer(config)) {
                consumer.subscribe("ledger");
                await().until(() -> {
                    consumer.poll(Duration.ofMillis(100)).forEach(m -> firstHalf.add(m.bodyAsString()));
                    return firstHalf.size() >= 400;
                });
                consumer.commit();
            }
        }

        node.restart();

        try (TernClient client = TernClient.connect(node.address())) {
            TopicDescription ledger = client.admin().describeTopic("ledger").orElseThrow();
            assertThat(ledger.messages()).isEqualTo(1_000);
            List<ReceivedMessage> rest = new ArrayList<>();
            try (Consumer consumer = client.consumer(ConsumerConfig.group("audit").withStart(StartPosition.latest()))) {
                consumer.subscribe("ledger");
                await().until(() -> {
                    rest.addAll(consumer.poll(Duration.ofMillis(100)));
                    return firstHalf.size() + rest.size() >= 1_000;
                });
                assertThat(consumer.poll(Duration.ofMillis(300))).isEmpty();
            }
            Set<String> secondHalf = new HashSet<>();
            rest.forEach(m -> secondHalf.add(m.bodyAsString()));
            assertThat(secondHalf).as("resumed at the committed offsets").doesNotContainAnyElementsOf(firstHalf).hasSize(rest.size());
            Set<String> all = new HashSet<>(firstHalf);
            all.addAll(secondHalf);
            assertThat(all).hasSize(1_000);
            ProduceConsumeTest.assertOrderedPerQueueAndKey(rest);
        }
    }

    @Test
    void aConnectedClientCarriesOnAfterTheServerRestarts() {
        try (TernClient client = TernClient.connect(node.address())) {
            client.admin().createTopic("t", 1);
            try (Producer producer = client.producer()) {
                producer.send("t", Message.of("before"));
                node.restart();
                await().until(() -> !client.isConnected());
                assertThat(producer.send("t", Message.of("after")).queueOffset()).isEqualTo(1);
            }
            assertThat(client.isConnected()).isTrue();
            PullBatch batch = client.consumer(ConsumerConfig.noGroup()).pull("t", 0, 0, 10, Duration.ZERO);
            assertThat(batch.messages()).extracting(ReceivedMessage::bodyAsString).containsExactly("before", "after");
        }
    }

    @Test
    void aSubscribedConsumerJoinsAgainAfterARestartAndCarriesOn() throws InterruptedException {
        try (TernClient client = TernClient.connect(node.address())) {
            client.admin().createTopic("t", 2);
            ConsumerConfig config = ConsumerConfig.group("g").withStart(StartPosition.earliest())
                    .withHeartbeatIntervalMs(100).withAutoCommitIntervalMs(50).withPullMaxWaitMs(300);
            GroupMember member = new GroupMember("m", client.consumer(config), "t");
            try (Producer producer = client.producer(ProducerConfig.defaults().withRetries(10).withRetryBackoffMs(50))) {
                for (int i = 0; i < 100; i++) producer.send("t", Message.of("before-" + i));
                await().until(() -> bodies(member).size() == 100);
                String memberId = member.consumer.memberId();

                node.restart();
                for (int i = 0; i < 100; i++) producer.send("t", Message.of("after-" + i));
                await().until(() -> bodies(member).containsAll(
                        java.util.stream.IntStream.range(0, 100).mapToObj(i -> "after-" + i).toList()));
                assertThat(member.consumer.memberId()).as("joined again under its own id").isEqualTo(memberId);
                assertThat(member.consumer.assignment()).hasSize(2);
            } finally {
                member.close();
            }
        }
    }

    private static Set<String> bodies(GroupMember m) {
        Set<String> s = new HashSet<>();
        m.received.forEach(r -> s.add(r.bodyAsString()));
        return s;
    }
}
