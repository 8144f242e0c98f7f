package dev.tern.client;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.common.message.Message;
import dev.tern.engine.ConsumeMode;
import dev.tern.engine.GroupDescription;
import dev.tern.engine.StartPosition;
import dev.tern.engine.TopicDescription;
import dev.tern.protocol.fixture.ServerFixture;
import dev.tern.store.api.QueueRange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static dev.tern.testsupport.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Topic and group administration over the wire. */
class AdminTest {
    @TempDir
    Path dir;
    private ServerFixture node;
    private TernClient client;
    private Admin admin;

    @BeforeEach
    void setUp() {
        node = ServerFixture.start(dir);
        client = TernClient.connect(node.address());
        admin = client.admin();
    }

    @AfterEach
    void tearDown() {
        client.close();
        node.close();
    }

    @Test
    void topicLifecycle() {
        TopicDescription created = admin.createTopic("orders", 3, Map.of("note", "kept verbatim"));
        assertThat(created.name()).isEqualTo("orders");
        assertThat(created.info().queues()).isEqualTo(3);
        assertThat(created.info().config()).containsEntry("note", "kept verbatim");
        admin.createTopic("alerts", 1);
        assertThatThrownBy(() -> admin.createTopic("orders", 3))
                .isInstanceOfSatisfying(TernException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TOPIC_EXISTS));

        try (Producer producer = client.producer()) {
            producer.send("orders", 1, Message.of("a"));
            producer.send("orders", 1, Message.of("b"));
        }
        assertThat(admin.listTopics()).extracting(TopicDescription::name).containsSubsequence("alerts", "orders");
        TopicDescription orders = admin.describeTopic("orders").orElseThrow();
        assertThat(orders.queues()).containsExactly(new QueueRange(0, 0), new QueueRange(0, 2), new QueueRange(0, 0));

        admin.deleteTopic("orders");
        assertThat(admin.describeTopic("orders")).isEmpty();
        assertThatThrownBy(() -> admin.deleteTopic("orders"))
                .isInstanceOfSatisfying(TernException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TOPIC_NOT_FOUND));
    }

    @Test
    void groupsWithMembersAndLag() {
        admin.createTopic("t", 2);
        try (Producer producer = client.producer()) {
            for (int i = 0; i < 10; i++) producer.send("t", i % 2, Message.of("m" + i));
        }
        assertThat(admin.describeGroup("readers")).isEmpty();
        ConsumerConfig config = ConsumerConfig.group("readers").withClientId("reader-1").withStart(StartPosition.earliest())
                .withAutoCommit(false);
        try (Consumer consumer = client.consumer(config)) {
            consumer.subscribe("t");
            assertThat(admin.listGroups()).contains("readers");
            GroupDescription d = admin.describeGroup("readers").orElseThrow();
            assertThat(d.mode()).isEqualTo(ConsumeMode.CLUSTERING);
            assertThat(d.members()).singleElement().satisfies(m -> {
                assertThat(m.clientId()).isEqualTo("reader-1");
                assertThat(m.memberId()).isEqualTo(consumer.memberId());
                assertThat(m.assigned()).hasSize(2);
            });
            assertThat(d.totalLag()).isEqualTo(10);
            await().until(() -> {
                consumer.poll(java.time.Duration.ofMillis(50));
                consumer.commit();
                return admin.describeGroup("readers").orElseThrow().totalLag() == 0;
            });
        }
        await().until(() -> admin.describeGroup("readers").map(g -> g.members().isEmpty()).orElse(true));
    }
}
