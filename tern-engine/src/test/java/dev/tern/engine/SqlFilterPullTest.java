package dev.tern.engine;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.message.Message;
import dev.tern.common.message.StoredMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** SQL property filters in pulls, after the tag filter, on both stores. */
@ParameterizedClass
@EnumSource(StoreKind.class)
@Timeout(60)
class SqlFilterPullTest {
    @Parameter
    StoreKind kind;
    @TempDir
    Path dir;
    EngineHarness h;
    String topic;

    @BeforeEach
    void open() {
        h = new EngineHarness(kind, dir);
        topic = h.topic(1);
        for (int i = 0; i < 100; i++) {
            Message m = Message.builder(("m" + i).getBytes(StandardCharsets.UTF_8)).tag(i % 2 == 0 ? "even" : "odd")
                    .properties(Map.of("n", Integer.toString(i), "region", i % 3 == 0 ? "eu" : "us")).build();
            h.send(topic, 0, m);
        }
    }

    @AfterEach
    void close() {
        h.close();
    }

    private List<String> bodies(String filter) {
        return h.pullAll(topic, 0, 0, filter).stream().map(StoredMessage::bodyAsString).toList();
    }

    @Test
    void onlyMessagesWhosePropertiesMatchAreReturned() {
        assertThat(bodies("sql: n >= 95")).containsExactly("m95", "m96", "m97", "m98", "m99");
        assertThat(bodies("sql:n BETWEEN 10 AND 12 OR n IN (50, 60)")).containsExactly("m10", "m11", "m12", "m50", "m60");
        assertThat(bodies("* sql: region = 'eu' AND n < 10")).containsExactly("m0", "m3", "m6", "m9");
        assertThat(bodies("sql: nothing IS NOT NULL")).isEmpty();
    }

    @Test
    void theSqlConditionAppliesAfterTheTagFilter() {
        assertThat(bodies("odd sql: region = 'eu' AND n < 20")).containsExactly("m3", "m9", "m15");
        assertThat(bodies("even || odd sql: n < 3")).containsExactly("m0", "m1", "m2");
    }

    @Test
    void aPullSkippingManyMisMatchesAnswersWithTheOffsetItReached() {
        // one message in 100 matches: pulls of 5 at a time skip ahead, and following nextOffset finds it
        assertThat(bodies("sql: n = 99")).containsExactly("m99");
        try (PullResult r = dev.tern.testsupport.Await.result(h.engine().pull(new PullRequest(topic, 0, 0, 5, 1 << 20, Duration.ZERO, "sql: n = 99")))) {
            assertThat(r.nextOffset()).isGreaterThan(0);
        }
    }

    @Test
    void aBadConditionIsRefusedWithItsPosition() {
        var e = Expect.fails(h.engine().pull(new PullRequest(topic, 0, 0, 5, 1 << 20, Duration.ZERO, "sql: n > ")), ErrorCode.INVALID_ARGUMENT);
        assertThat(e.getMessage()).contains("'n >'").contains("position 3");
        Expect.fails(h.engine().pull(new PullRequest(topic, 0, 0, 5, 1 << 20, Duration.ZERO, "a | b sql: n > 1")), ErrorCode.INVALID_ARGUMENT);
    }
}
