package dev.tern.client;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.common.message.Message;
import dev.tern.common.message.MessageId;
import dev.tern.engine.SendResult;
import dev.tern.protocol.fixture.ServerFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.tern.testsupport.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Lookups of messages by id, by key and by time through {@link Admin}, end to end against a real node. */
class LookupTest {
    @TempDir
    Path dir;
    private ServerFixture node;
    private TernClient client;
    private Admin admin;
    private Producer producer;

    @BeforeEach
    void setUp() {
        node = ServerFixture.start(dir);
        client = TernClient.connect(node.address());
        admin = client.admin();
        producer = client.producer();
    }

    @AfterEach
    void tearDown() {
        producer.close();
        client.close();
        node.close();
    }

    @Test
    void lookupByIdFindsWhatWasSent() {
        admin.createTopic("orders", 2);
        Message sent = Message.builder("ünïcødé ✓".getBytes(StandardCharsets.UTF_8)).keys("order-1", "customer-7")
                .tag("paid").properties(Map.of("amount", "12.50")).build();
        SendResult r = producer.send("orders", 1, sent);

        ReceivedMessage found = admin.lookupById(r.messageId()).orElseThrow();
        assertThat(found.topic()).isEqualTo("orders");
        assertThat(found.queue()).isEqualTo(1);
        assertThat(found.offset()).isEqualTo(r.queueOffset());
        assertThat(found.messageId()).isEqualTo(r.messageId());
        assertThat(found.storeTimestamp()).isEqualTo(r.storeTimestamp());
        assertThat(found.body()).isEqualTo(sent.body());
        assertThat(found.keys()).containsExactly("order-1", "customer-7");
        assertThat(found.tag()).isEqualTo("paid");
        assertThat(found.properties()).containsEntry("amount", "12.50");

        assertThat(admin.lookupById(new MessageId(r.messageId().high() + 1, r.messageId().low()))).isEmpty();
        assertThat(admin.lookupById(MessageId.parse(r.messageId().toString()))).isPresent();
        assertFails(() -> admin.lookupById(null), ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void lookupByKeyReturnsTheMostRecentOldestFirstAcrossQueues() {
        admin.createTopic("orders", 3);
        for (int i = 0; i < 8; i++) producer.send("orders", i % 3, Message.builder(("v" + i).getBytes()).keys("same", "k" + i).build());

        assertThat(admin.lookupByKey("orders", "same", 3)).extracting(ReceivedMessage::bodyAsString).containsExactly("v5", "v6", "v7");
        assertThat(admin.lookupByKey("orders", "same", 10_000)).hasSize(8);
        assertThat(admin.lookupByKey("orders", "k4", 10)).singleElement().satisfies(m -> {
            assertThat(m.bodyAsString()).isEqualTo("v4");
            assertThat(m.queue()).isEqualTo(1);
            assertThat(m.offset()).isEqualTo(1);
        });
        assertThat(admin.lookupByKey("orders", "nobody", 10)).isEmpty();

        assertFails(() -> admin.lookupByKey("orders", "", 10), ErrorCode.INVALID_ARGUMENT);
        assertFails(() -> admin.lookupByKey("orders", null, 10), ErrorCode.INVALID_ARGUMENT);
        assertFails(() -> admin.lookupByKey("orders", "same", 0), ErrorCode.INVALID_ARGUMENT);
        assertFails(() -> admin.lookupByKey("orders", "same", 10_001), ErrorCode.INVALID_ARGUMENT);
        assertFails(() -> admin.lookupByKey("ghost", "same", 1), ErrorCode.TOPIC_NOT_FOUND);
    }

    @Test
    void offsetForTimeFindsWhereAPointInTimeBegins() {
        admin.createTopic("events", 2);
        List<SendResult> early = new ArrayList<>();
        for (int i = 0; i < 3; i++) early.add(producer.send("events", 0, Message.of("early-" + i)));
        long last = early.getLast().storeTimestamp();
        await().until(() -> System.currentTimeMillis() > last);
        SendResult late = producer.send("events", 0, Message.of("late"));
        assertThat(late.storeTimestamp()).isGreaterThan(last);

        assertThat(admin.offsetForTime("events", 0, 0)).isZero();
        assertThat(admin.offsetForTime("events", 0, early.getFirst().storeTimestamp())).isZero();
        assertThat(admin.offsetForTime("events", 0, late.storeTimestamp())).isEqualTo(3);
        assertThat(admin.offsetForTime("events", 0, late.storeTimestamp() + 1)).as("after the last: the next offset").isEqualTo(4);
        assertThat(admin.offsetForTime("events", 1, 0)).as("empty queue").isZero();

        assertFails(() -> admin.offsetForTime("events", 2, 0), ErrorCode.QUEUE_NOT_FOUND);
        assertFails(() -> admin.offsetForTime("events", -1, 0), ErrorCode.QUEUE_NOT_FOUND);
        assertFails(() -> admin.offsetForTime("ghost", 0, 0), ErrorCode.TOPIC_NOT_FOUND);
        assertFails(() -> admin.offsetForTime("a b", 0, 0), ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void lookupsStillFindMessagesAfterTheNodeRestarts() {
        admin.createTopic("orders", 1);
        SendResult r = producer.send("orders", 0, Message.builder("kept".getBytes()).keys("order-9").build());
        node.restart();

        try (TernClient again = TernClient.connect(node.address())) {
            Admin a = again.admin();
            assertThat(a.lookupById(r.messageId())).get().extracting(ReceivedMessage::bodyAsString).isEqualTo("kept");
            assertThat(a.lookupByKey("orders", "order-9", 1)).extracting(ReceivedMessage::messageId).containsExactly(r.messageId());
            assertThat(a.offsetForTime("orders", 0, r.storeTimestamp())).isZero();
        }
    }

    @Test
    void aDeletedTopicsMessagesAreGone() {
        admin.createTopic("orders", 1);
        SendResult r = producer.send("orders", 0, Message.builder("soon gone".getBytes()).keys("k").build());
        admin.deleteTopic("orders");

        assertThat(admin.lookupById(r.messageId())).isEmpty();
        assertFails(() -> admin.lookupByKey("orders", "k", 1), ErrorCode.TOPIC_NOT_FOUND);
    }

    private static void assertFails(Runnable call, ErrorCode code) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(TernException.class, e -> assertThat(e.code()).as(e.getMessage()).isEqualTo(code));
    }
}
