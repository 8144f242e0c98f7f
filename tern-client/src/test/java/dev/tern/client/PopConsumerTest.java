package dev.tern.client;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.common.message.Message;
import dev.tern.engine.EngineConfig;
import dev.tern.protocol.fixture.ServerFixture;
import dev.tern.protocol.server.NativeServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

import static dev.tern.testsupport.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Pop, ack, nack and dead letters through a real client and server (short timeouts and back-off, real time). */
@Timeout(60)
class PopConsumerTest {
    @TempDir
    Path dir;
    private ServerFixture node;
    private TernClient client;

    @BeforeEach
    void setUp() {
        node = ServerFixture.start(dir, EngineConfig.defaults().withAck(2, 100), NativeServerConfig.ephemeral(), UnaryOperator.identity());
        client = TernClient.connect(node.address());
        client.admin().createTopic("jobs", 1);
        try (Producer p = client.producer()) {
            for (String s : List.of("a", "b", "c")) p.send("jobs", 0, Message.of(s));
        }
    }

    @AfterEach
    void tearDown() {
        client.close();
        node.close();
    }

    @Test
    void ackedMessagesAreDoneAndUnackedOnesComeBackAfterTheVisibilityTimeout() {
        PopConsumer c = client.popConsumer("workers");
        List<PoppedMessage> got = c.pop("jobs", 0, 10, Duration.ofMillis(300));
        assertThat(got).extracting(PoppedMessage::bodyAsString).containsExactly("a", "b", "c");
        assertThat(got).extracting(PoppedMessage::attempt).containsOnly(1);
        c.ack(got.get(0));
        c.ack(got.get(2));
        assertThat(c.pop("jobs", 0, 10, Duration.ofMillis(300))).isEmpty();
        await().untilAsserted(() -> {
            List<PoppedMessage> again = c.pop("jobs", 0, 10, Duration.ofSeconds(30));
            assertThat(again).extracting(PoppedMessage::bodyAsString).containsExactly("b");
            assertThat(again.getFirst().attempt()).isEqualTo(2);
        });
    }

    @Test
    void aMessageNackedUntilItRunsOutOfAttemptsLandsInTheDeadLetterTopic() {
        PopConsumer c = client.popConsumer("strict");
        for (PoppedMessage m : c.pop("jobs", 0, 10, Duration.ofSeconds(30))) {
            if (m.bodyAsString().equals("b")) c.nack(m);
            else c.ack(m);
        }
        await().untilAsserted(() -> {
            List<PoppedMessage> again = c.pop("jobs", 0, 10, Duration.ofSeconds(30));
            assertThat(again).extracting(PoppedMessage::attempt).containsExactly(2);
            c.nack(again.getFirst());
        });
        await().ignoreExceptions().untilAsserted(() -> assertThat(client.consumer(ConsumerConfig.noGroup())
                .pull("%DLQ%strict", 0, 0, 10, Duration.ZERO).messages()).extracting(ReceivedMessage::bodyAsString).containsExactly("b"));
        assertThat(c.pop("jobs", 0, 10, Duration.ofSeconds(30))).isEmpty();
    }

    @Test
    void fifoGroupsComeInOrderOneAtATimeAndANackedMessageHoldsOnlyItsGroup() {
        client.admin().createTopic("orders", 1);
        try (Producer p = client.producer()) {
            for (String s : List.of("x1", "y1", "x2", "y2", "x3")) {
                p.send("orders", 0, Message.builder(s.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                        .properties(java.util.Map.of(PopConsumer.FIFO_GROUP_PROPERTY, s.substring(0, 1))).build());
            }
        }
        PopConsumer c = client.popConsumer("fifo");
        List<PoppedMessage> first = c.pop("orders", 0, 10, Duration.ofSeconds(30), true);
        assertThat(first).extracting(PoppedMessage::bodyAsString).containsExactly("x1", "y1");
        c.nack(first.get(0));
        c.ack(first.get(1));
        assertThat(c.pop("orders", 0, 10, Duration.ofSeconds(30), true)).as("y goes on while x1 waits")
                .extracting(PoppedMessage::bodyAsString).containsExactly("y2");
        PoppedMessage[] again = new PoppedMessage[1];
        await().untilAsserted(() -> {
            List<PoppedMessage> got = c.pop("orders", 0, 10, Duration.ofSeconds(30), true);
            assertThat(got).extracting(PoppedMessage::bodyAsString).containsExactly("x1");
            again[0] = got.getFirst();
        });
        assertThat(again[0].attempt()).isEqualTo(2);
        assertThat(c.pop("orders", 0, 10, Duration.ofSeconds(30), true)).as("x2 waits for x1").isEmpty();
        c.ack(again[0]);
        assertThat(c.pop("orders", 0, 10, Duration.ofSeconds(30), true)).extracting(PoppedMessage::bodyAsString).containsExactly("x2");
    }

    @Test
    void aSlowMessageKeptHiddenLongerIsAckedWithItsNewReceipt() {
        PopConsumer c = client.popConsumer("slow");
        List<PoppedMessage> got = c.pop("jobs", 0, 10, Duration.ofSeconds(1));
        assertThat(got).extracting(PoppedMessage::bodyAsString).containsExactly("a", "b", "c");
        PoppedMessage a = c.changeInvisible(got.getFirst(), Duration.ofMinutes(1));
        assertThat(a.receipt()).isNotEqualTo(got.getFirst().receipt());
        assertThat(a.bodyAsString()).isEqualTo("a");
        // b and c come back once their second is over; a, still being worked on, does not
        await().untilAsserted(() -> assertThat(c.pop("jobs", 0, 10, Duration.ofMinutes(1)))
                .extracting(PoppedMessage::bodyAsString).containsExactly("b", "c"));
        assertThatThrownBy(() -> c.changeInvisible(got.getFirst(), Duration.ofSeconds(5)))
                .isInstanceOfSatisfying(TernException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RECEIPT_EXPIRED));
        c.ack(a);
        assertThatThrownBy(() -> c.changeInvisible(a, Duration.ofSeconds(5)))
                .isInstanceOfSatisfying(TernException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RECEIPT_EXPIRED));
    }

    @Test
    void aBadReceiptOrTopicIsRefused() {
        PopConsumer c = client.popConsumer("g");
        assertThatThrownBy(() -> c.pop("nope", 0, 1, Duration.ofSeconds(1)))
                .isInstanceOfSatisfying(TernException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TOPIC_NOT_FOUND));
        PoppedMessage fake = new PoppedMessage(null, "garbage", 1);
        assertThatThrownBy(() -> c.ack(fake))
                .isInstanceOfSatisfying(TernException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
    }
}
