package dev.tern.client;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.common.message.Message;
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
import java.util.Map;

import static dev.tern.testsupport.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A SQL property filter through a real client and server: the server sends only what matches. */
@Timeout(60)
class SqlFilterConsumeTest {
    @TempDir
    Path dir;
    private ServerFixture node;
    private TernClient client;

    @BeforeEach
    void setUp() {
        node = ServerFixture.start(dir);
        client = TernClient.connect(node.address());
        client.admin().createTopic("orders", 2);
        try (Producer producer = client.producer()) {
            for (int i = 0; i < 200; i++) {
                producer.sendAsync("orders", Message.builder(("o" + i).getBytes(StandardCharsets.UTF_8)).tag(i % 2 == 0 ? "paid" : "open")
                        .properties(Map.of("amount", Integer.toString(i), "region", i % 4 == 0 ? "eu" : "us")).build());
            }
            producer.flush();
        }
    }

    @AfterEach
    void tearDown() {
        client.close();
        node.close();
    }

    @Test
    void aGroupConsumerGetsOnlyMessagesMatchingTagsAndCondition() {
        ConsumerConfig config = ConsumerConfig.group("big-eu").withStart(StartPosition.earliest())
                .withTagFilter("paid").withSqlFilter("region = 'eu' AND amount BETWEEN 100 AND 139");
        List<String> got = new ArrayList<>();
        try (Consumer consumer = client.consumer(config)) {
            consumer.subscribe("orders");
            await().until(() -> {
                consumer.poll(Duration.ofMillis(100)).forEach(m -> got.add(m.bodyAsString()));
                return got.size() >= 10;
            });
            assertThat(consumer.poll(Duration.ofMillis(300))).isEmpty();
        }
        assertThat(got).containsExactlyInAnyOrder("o100", "o104", "o108", "o112", "o116", "o120", "o124", "o128", "o132", "o136");
    }

    @Test
    void aBadConditionFailsTheSubscriptionNamingThePosition() {
        ConsumerConfig config = ConsumerConfig.group("bad").withSqlFilter("amount > 1 AND");
        try (Consumer consumer = client.consumer(config)) {
            assertThatThrownBy(() -> consumer.subscribe("orders"))
                    .isInstanceOfSatisfying(TernException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                    .hasMessageContaining("position 14");
        }
    }

    @Test
    void withSqlFilterKeepsTheTagsAndReplacesAnEarlierCondition() {
        ConsumerConfig c = ConsumerConfig.group("g").withTagFilter("a || b").withSqlFilter("x = 1").withSqlFilter("y = 2");
        assertThat(c.tagFilter()).isEqualTo("a || b sql: y = 2");
        assertThat(c.withSqlFilter(null).tagFilter()).isEqualTo("a || b");
    }
}
