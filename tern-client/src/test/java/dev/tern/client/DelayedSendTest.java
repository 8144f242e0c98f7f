package dev.tern.client;

import dev.tern.common.message.Message;
import dev.tern.engine.SendResult;
import dev.tern.engine.StartPosition;
import dev.tern.protocol.fixture.ServerFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static dev.tern.testsupport.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/** Delayed messages through a real client and server: not delivered before their time, delivered after, also across a restart. */
@Timeout(60)
class DelayedSendTest {
    @TempDir
    Path dir;
    private ServerFixture node;
    private TernClient client;

    @BeforeEach
    void setUp() {
        node = ServerFixture.start(dir);
        client = TernClient.connect(node.address());
        client.admin().createTopic("later", 2);
    }

    @AfterEach
    void tearDown() {
        client.close();
        node.close();
    }

    private static Message body(String text) {
        return Message.builder(text.getBytes(StandardCharsets.UTF_8)).build();
    }

    private List<ReceivedMessage> consume(Consumer consumer, int n) {
        List<ReceivedMessage> got = new ArrayList<>();
        await().until(() -> {
            got.addAll(consumer.poll(Duration.ofMillis(100)));
            return got.size() >= n;
        });
        return got;
    }

    @Test
    void delayedAndImmediateMessagesFromOneProducerEachArriveWhenDue() {
        long due = System.currentTimeMillis() + 1_500;
        List<CompletableFuture<SendResult>> sent = new ArrayList<>();
        try (Producer producer = client.producer()) {
            for (int i = 0; i < 20; i++) {
                sent.add(producer.sendAsync("later", Message.builder(("late-" + i).getBytes(StandardCharsets.UTF_8)).deliverAt(due).build()));
                sent.add(producer.sendAsync("later", body("now-" + i)));
            }
            producer.flush();
        }
        assertThat(sent).allMatch(f -> !f.isCompletedExceptionally());
        try (Consumer consumer = client.consumer(ConsumerConfig.group("g").withStart(StartPosition.earliest()))) {
            consumer.subscribe("later");
            List<ReceivedMessage> first = consume(consumer, 20);
            assertThat(first).allMatch(m -> m.bodyAsString().startsWith("now-"));
            List<ReceivedMessage> rest = consume(consumer, 20);
            assertThat(rest).hasSize(20).allMatch(m -> m.bodyAsString().startsWith("late-"));
            assertThat(rest).allMatch(m -> m.storeTimestamp() >= due);
        }
    }

    @Test
    void aDelayedMessageSentBeforeARestartIsDeliveredAfterIt() {
        try (Producer producer = client.producer()) {
            SendResult r = producer.send("later", Message.builder("survivor".getBytes(StandardCharsets.UTF_8)).delay(Duration.ofSeconds(2)).build());
            assertThat(r.queueOffset()).isEqualTo(-1);
        }
        client.close();
        node.restart();
        client = TernClient.connect(node.address());
        try (Consumer consumer = client.consumer(ConsumerConfig.group("g2").withStart(StartPosition.earliest()))) {
            consumer.subscribe("later");
            assertThat(consume(consumer, 1)).extracting(ReceivedMessage::bodyAsString).containsExactly("survivor");
        }
    }
}
