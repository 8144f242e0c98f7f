package dev.tern.engine;

import dev.tern.common.Clock;
import dev.tern.common.error.ErrorCode;
import dev.tern.common.message.StoredMessage;
import dev.tern.testsupport.ManualClock;
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
import java.util.List;

import static dev.tern.testsupport.Await.await;
import static dev.tern.testsupport.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

/** Pop, ack, nack, visibility timeout, back-off and dead letters, on both stores, with the engine's clock jumped by hand. */
@ParameterizedClass
@EnumSource(StoreKind.class)
@Timeout(60)
class AckRedeliveryTest {
    static final Duration INVISIBLE = Duration.ofSeconds(30);
    @Parameter
    StoreKind kind;
    @TempDir
    Path dir;
    final ManualClock clock = new ManualClock(1_800_000_000_000L);
    EngineHarness h;
    String topic;

    @BeforeEach
    void open() {
        h = new EngineHarness(kind, dir, Clock.SYSTEM, EngineConfig.defaults().withClock(clock).withAck(3, 1000), EngineMetrics.NONE);
        topic = h.topic(1);
        for (int i = 0; i < 5; i++) h.send(topic, 0, TestMessages.text("m" + i));
    }

    @AfterEach
    void close() {
        h.close();
    }

    private List<Popped> pop(String group, int max) {
        return result(h.engine().acks().pop(group, topic, 0, max, INVISIBLE));
    }

    private static List<String> bodies(List<Popped> popped) {
        return popped.stream().map(p -> p.message().bodyAsString()).toList();
    }

    @Test
    void poppedMessagesAreHiddenAndAckedOnesNeverComeBack() {
        List<Popped> first = pop("g", 3);
        assertThat(bodies(first)).containsExactly("m0", "m1", "m2");
        assertThat(first).allMatch(p -> p.attempt() == 1);
        assertThat(bodies(pop("g", 10))).containsExactly("m3", "m4");
        assertThat(pop("g", 10)).isEmpty();
        assertThat(bodies(pop("other", 2))).as("groups are independent").containsExactly("m0", "m1");
        for (Popped p : first) result(h.engine().acks().ack(p.receipt()));
        clock.advance(INVISIBLE.toMillis() + 1);
        // m3 and m4 were not acked: they come back, with their second attempt; the acked ones do not
        await().untilAsserted(() -> assertThat(bodies(pop("g", 10))).containsExactly("m3", "m4"));
    }

    @Test
    void aSlowMessageDoesNotHoldTheQueue() {
        Popped slow = pop("g", 1).getFirst();
        assertThat(bodies(pop("g", 1))).containsExactly("m1");
        clock.advance(INVISIBLE.toMillis() + 1);
        await().untilAsserted(() -> {
            List<Popped> again = pop("g", 1);
            assertThat(again).extracting(Popped::attempt).containsExactly(2);
            assertThat(again.getFirst().message().bodyAsString()).isEqualTo(slow.message().bodyAsString());
        });
    }

    @Test
    void aNackedMessageComesBackAfterItsBackOffAndGoesToTheDeadLetterTopicAfterMaxAttempts() {
        String single = h.topic(1);
        h.send(single, 0, TestMessages.text("only"));
        Popped p = result(h.engine().acks().pop("g", single, 0, 1, INVISIBLE)).getFirst();
        for (int attempt = 1; attempt <= 3; attempt++) {
            assertThat(p.attempt()).isEqualTo(attempt);
            result(h.engine().acks().nack(p.receipt()));
            assertThat(result(h.engine().acks().pop("g", single, 0, 1, INVISIBLE))).as("hidden during its back-off").isEmpty();
            clock.advance(1000L << (attempt - 1)); // 1 s, 2 s, 4 s
            if (attempt == 3) break;
            Popped[] again = new Popped[1];
            await().untilAsserted(() -> {
                List<Popped> got = result(h.engine().acks().pop("g", single, 0, 1, INVISIBLE));
                assertThat(got).hasSize(1);
                again[0] = got.getFirst();
            });
            p = again[0];
        }
        // the third hand-out was the last (ack.max.attempts = 3): it goes to %DLQ%g instead of coming back
        String dlq = Reviver.deadLetterTopic("g");
        await().ignoreExceptions().untilAsserted(() -> assertThat(h.pullAll(dlq, 0, 0, null)).extracting(StoredMessage::bodyAsString).containsExactly("only"));
        StoredMessage dead = h.pullAll(dlq, 0, 0, null).getFirst();
        assertThat(dead.properties()).containsEntry("tern.dlq.topic", single).containsEntry("tern.dlq.offset", "0").containsEntry("tern.dlq.attempts", "3");
        assertThat(result(h.engine().acks().pop("g", single, 0, 1, INVISIBLE))).isEmpty();
    }

    @Test
    void handOutsSurviveARestartAndUnackedOnesAreRedelivered() {
        org.junit.jupiter.api.Assumptions.assumeTrue(kind == StoreKind.LOCAL, "only the local store keeps data across a restart");
        List<Popped> popped = pop("g", 2);
        result(h.engine().acks().ack(popped.getFirst().receipt()));
        h.restart();
        assertThat(bodies(pop("g", 1))).as("the cursor survived").containsExactly("m2");
        clock.advance(INVISIBLE.toMillis() + 1);
        await().untilAsserted(() -> assertThat(bodies(pop("g", 1))).containsExactly("m1"));
    }

    @Test
    void aLongerInvisibleTimeKeepsASlowMessageHiddenAndItsNewReceiptAcksIt() {
        Popped slow = pop("g", 1).getFirst();
        Receipt renewed = result(h.engine().acks().changeInvisible(slow.receipt(), Duration.ofMinutes(5)));
        assertThat(renewed.offset()).isEqualTo(slow.receipt().offset());
        assertThat(renewed.attempt()).isEqualTo(1);
        assertThat(renewed.deadline()).isEqualTo(clock.millis() + Duration.ofMinutes(5).toMillis());
        assertThat(bodies(pop("g", 10))).containsExactly("m1", "m2", "m3", "m4");
        clock.advance(INVISIBLE.toMillis() + 1);
        // past the first deadline, before the new one: the others come back, the slow one stays hidden
        await().untilAsserted(() -> assertThat(bodies(pop("g", 10))).containsExactly("m1", "m2", "m3", "m4"));
        Expect.fails(h.engine().acks().changeInvisible(slow.receipt(), INVISIBLE), ErrorCode.RECEIPT_EXPIRED);
        result(h.engine().acks().ack(renewed));
        clock.advance(Duration.ofMinutes(5).toMillis());
        await().untilAsserted(() -> assertThat(bodies(pop("g", 10))).containsExactly("m1", "m2", "m3", "m4"));
        Expect.fails(h.engine().acks().changeInvisible(renewed, INVISIBLE), ErrorCode.RECEIPT_EXPIRED);
    }

    @Test
    void aShorterInvisibleTimeBringsAMessageBackSooner() {
        Popped p = pop("g", 1).getFirst();
        Receipt soon = result(h.engine().acks().changeInvisible(p.receipt(), Duration.ofSeconds(1)));
        clock.advance(1001);
        await().untilAsserted(() -> {
            List<Popped> again = pop("g", 1);
            assertThat(bodies(again)).containsExactly("m0");
            assertThat(again.getFirst().attempt()).isEqualTo(2);
        });
        Expect.fails(h.engine().acks().changeInvisible(soon, INVISIBLE), ErrorCode.RECEIPT_EXPIRED);
        Expect.fails(h.engine().acks().changeInvisible(soon, Duration.ZERO), ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void badArgumentsAreRefused() {
        Expect.fails(h.engine().acks().pop("g", topic, 0, 0, INVISIBLE), ErrorCode.INVALID_ARGUMENT);
        Expect.fails(h.engine().acks().pop("g", topic, 0, 1, Duration.ZERO), ErrorCode.INVALID_ARGUMENT);
        Expect.fails(h.engine().acks().pop("g", "missing", 0, 1, INVISIBLE), ErrorCode.TOPIC_NOT_FOUND);
        assertThat(Receipt.parse(new Receipt("g", topic, 0, 7, 99, 2).toString())).isEqualTo(new Receipt("g", topic, 0, 7, 99, 2));
        Expect.throwsCode(() -> Receipt.parse("nonsense"), ErrorCode.INVALID_ARGUMENT);
    }
}
