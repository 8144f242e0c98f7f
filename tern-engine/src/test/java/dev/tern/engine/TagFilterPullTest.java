package dev.tern.engine;

import dev.tern.common.codec.RecordCodec;
import dev.tern.common.error.ErrorCode;
import dev.tern.common.message.StoredMessage;
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

import static org.assertj.core.api.Assertions.assertThat;

@ParameterizedClass
@EnumSource(StoreKind.class)
@Timeout(60)
class TagFilterPullTest {
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
        // "Aa" and "BB" share a String hash: the store's hash filter lets both through, the engine must not
        assertThat(RecordCodec.tagHash("Aa")).isEqualTo(RecordCodec.tagHash("BB"));
        String[] tags = {"Aa", "BB", null, "C", "Aa", "BB", "C", null};
        for (int i = 0; i < tags.length; i++) {
            h.send(topic, 0, tags[i] == null ? TestMessages.text("m" + i) : TestMessages.tagged("m" + i, tags[i]));
        }
    }

    @AfterEach
    void close() {
        h.close();
    }

    private java.util.List<String> bodies(String filter) {
        return h.pullAll(topic, 0, 0, filter).stream().map(StoredMessage::bodyAsString).toList();
    }

    @Test
    void onlyMessagesWithANamedTagAreReturnedEvenWhenHashesCollide() {
        assertThat(bodies("Aa")).containsExactly("m0", "m4");
        assertThat(bodies("BB")).containsExactly("m1", "m5");
        assertThat(bodies("Aa || C")).containsExactly("m0", "m3", "m4", "m6");
        assertThat(bodies("nothing")).isEmpty();
    }

    @Test
    void starAndNoFilterReturnEverything() {
        assertThat(bodies("*")).hasSize(8);
        assertThat(bodies(null)).hasSize(8);
    }

    @Test
    void aCollisionOnlyBatchReadsOnToTheNextMatch() {
        // a read of 1 message from offset 1 finds only BB (hash of Aa): the pull must read on to m4
        try (PullResult r = dev.tern.testsupport.Await.result(h.engine().pull(new PullRequest(topic, 0, 1, 1, 4 << 20, Duration.ZERO, "Aa")))) {
            assertThat(r.records()).extracting(rec -> rec.message().bodyAsString()).containsExactly("m4");
            assertThat(r.nextOffset()).isEqualTo(5);
        }
    }

    @Test
    void aBadExpressionFailsThePull() {
        var e = Expect.fails(h.engine().pull(new PullRequest(topic, 0, 0, 10, 1024, Duration.ZERO, "A ||")), ErrorCode.INVALID_ARGUMENT);
        assertThat(e).hasMessageContaining("position 4");
    }
}
