package dev.tern.engine;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.message.Message;
import dev.tern.common.message.MessageId;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import static dev.tern.testsupport.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

/** {@link MessageQuery}: lookups by id, by key and by time through the engine, on both stores. */
@ParameterizedClass
@EnumSource(StoreKind.class)
@Timeout(60)
class LookupTest {
    @Parameter
    StoreKind kind;
    @TempDir
    Path dir;
    final ManualClock storeClock = new ManualClock(1_000_000);
    EngineHarness h;

    @BeforeEach
    void open() {
        h = new EngineHarness(kind, dir, storeClock, EngineConfig.defaults(), EngineMetrics.NONE);
    }

    @AfterEach
    void close() {
        h.close();
    }

    private MessageQuery lookups() {
        return h.engine().lookups();
    }

    @Test
    void byIdFindsEachSentMessage() {
        String t = h.topic(3);
        for (int i = 0; i < 9; i++) {
            Message sent = TestMessages.rich(i);
            SendResult r = h.send(t, i % 3, sent);
            StoredMessage found = result(lookups().byId(r.messageId())).orElseThrow();
            assertThat(found.topic()).isEqualTo(t);
            assertThat(found.queue()).isEqualTo(i % 3);
            assertThat(found.queueOffset()).isEqualTo(r.queueOffset());
            assertThat(found.messageId()).isEqualTo(r.messageId());
            assertThat(found.storeTimestamp()).isEqualTo(r.storeTimestamp());
            assertThat(found.body()).isEqualTo(sent.body());
            assertThat(found.keys()).isEqualTo(sent.keys());
            assertThat(found.tag()).isEqualTo(sent.tag());
            assertThat(found.properties()).isEqualTo(sent.properties());
        }
    }

    @Test
    void byIdOfAnUnknownIdIsEmptyAndOfNoIdInvalid() {
        String t = h.topic(1);
        MessageId known = h.send(t, 0, TestMessages.text("a")).messageId();
        assertThat(result(lookups().byId(new MessageId(0, 0)))).isEmpty();
        assertThat(result(lookups().byId(new MessageId(~known.high(), known.low() + 1)))).isEmpty();
        assertThat(Expect.fails(lookups().byId(null), ErrorCode.INVALID_ARGUMENT)).hasMessageContaining("message id");
    }

    @Test
    void byKeyReturnsTheMostRecentUpToLimitOldestFirst() {
        String t = h.topic(3);
        for (int i = 0; i < 7; i++) h.send(t, i % 3, TestMessages.keyed("v" + i, "same", "k" + i));
        h.send(t, 0, TestMessages.keyed("other", "samey"));

        assertThat(result(lookups().byKey(t, "same", 3))).extracting(StoredMessage::bodyAsString).containsExactly("v4", "v5", "v6");
        assertThat(result(lookups().byKey(t, "same", MessageQuery.MAX_KEY_LIMIT))).extracting(StoredMessage::bodyAsString)
                .containsExactly("v0", "v1", "v2", "v3", "v4", "v5", "v6");
        assertThat(result(lookups().byKey(t, "k3", 1))).singleElement().satisfies(m -> {
            assertThat(m.bodyAsString()).isEqualTo("v3");
            assertThat(m.topic()).isEqualTo(t);
            assertThat(m.queue()).isZero();
            assertThat(m.queueOffset()).isEqualTo(1);
        });
        assertThat(result(lookups().byKey(t, "nobody", 10))).isEmpty();
    }

    @Test
    void byKeyMatchesOnlyTheGivenTopic() {
        String a = h.topic(1);
        String b = h.topic(1);
        h.send(a, 0, TestMessages.keyed("in a", "k"));
        h.send(b, 0, TestMessages.keyed("in b", "k"));
        assertThat(result(lookups().byKey(a, "k", 10))).extracting(StoredMessage::bodyAsString).containsExactly("in a");
        assertThat(result(lookups().byKey(b, "k", 10))).extracting(StoredMessage::bodyAsString).containsExactly("in b");
    }

    @Test
    void byKeyRejectsBadArguments() {
        String t = h.topic(1);
        for (String bad : new String[]{null, "", "a b", ".."}) {
            Expect.fails(lookups().byKey(bad, "k", 1), ErrorCode.INVALID_ARGUMENT);
        }
        assertThat(Expect.fails(lookups().byKey(t, null, 1), ErrorCode.INVALID_ARGUMENT)).hasMessageContaining("key");
        assertThat(Expect.fails(lookups().byKey(t, "", 1), ErrorCode.INVALID_ARGUMENT)).hasMessageContaining("key");
        for (int limit : new int[]{0, -1, MessageQuery.MAX_KEY_LIMIT + 1, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            assertThat(Expect.fails(lookups().byKey(t, "k", limit), ErrorCode.INVALID_ARGUMENT)).hasMessageContaining("1 to 10000");
        }
        Expect.fails(lookups().byKey("ghost", "k", 1), ErrorCode.TOPIC_NOT_FOUND);
    }

    @Test
    void offsetForTimeFindsTheFirstMessageStoredAtOrAfter() {
        String t = h.topic(2);
        long t0 = h.send(t, 0, TestMessages.text("a")).storeTimestamp();
        storeClock.advance(1_000);
        long t1 = h.send(t, 0, TestMessages.text("b")).storeTimestamp();
        h.send(t, 0, TestMessages.text("c"));
        storeClock.advance(1_000);
        long t3 = h.send(t, 0, TestMessages.text("d")).storeTimestamp();
        assertThat(t1).isGreaterThan(t0);
        assertThat(t3).isGreaterThan(t1);

        assertThat(offsetForTime(t, 0, Long.MIN_VALUE)).isZero();
        assertThat(offsetForTime(t, 0, t0)).isZero();
        assertThat(offsetForTime(t, 0, t0 + 1)).as("between").isEqualTo(1);
        assertThat(offsetForTime(t, 0, t1)).isEqualTo(1);
        assertThat(offsetForTime(t, 0, t3)).isEqualTo(3);
        assertThat(offsetForTime(t, 0, t3 + 1)).as("after the last: the next offset").isEqualTo(4);
        assertThat(offsetForTime(t, 0, Long.MAX_VALUE)).isEqualTo(4);
        assertThat(offsetForTime(t, 1, t0)).as("empty queue").isZero();
    }

    @Test
    void offsetForTimeRejectsBadTopicsAndQueues() {
        String t = h.topic(2);
        Expect.fails(lookups().offsetForTime("a b", 0, 0), ErrorCode.INVALID_ARGUMENT);
        Expect.fails(lookups().offsetForTime(null, 0, 0), ErrorCode.INVALID_ARGUMENT);
        Expect.fails(lookups().offsetForTime("ghost", 0, 0), ErrorCode.TOPIC_NOT_FOUND);
        Expect.fails(lookups().offsetForTime(t, 2, 0), ErrorCode.QUEUE_NOT_FOUND);
        assertThat(Expect.fails(lookups().offsetForTime(t, -1, 0), ErrorCode.QUEUE_NOT_FOUND)).hasMessageContaining("start at 0");
    }

    @Test
    void aDeletedTopicsMessagesAreNoLongerFound() {
        String t = h.topic(1);
        SendResult sent = h.send(t, 0, TestMessages.keyed("gone", "k"));
        assertThat(result(lookups().byId(sent.messageId()))).isPresent();
        result(h.engine().topics().delete(t));
        assertThat(result(lookups().byId(sent.messageId()))).isEmpty();
        Expect.fails(lookups().byKey(t, "k", 10), ErrorCode.TOPIC_NOT_FOUND);
        Expect.fails(lookups().offsetForTime(t, 0, 0), ErrorCode.TOPIC_NOT_FOUND);
    }

    @Test
    void lookupsSeeASendAsSoonAsItCompletes() {
        String t = h.topic(4);
        for (int i = 0; i < 40; i++) {
            int queue = i % 4;
            SendResult r = h.send(t, queue, TestMessages.keyed("m" + i, "key-" + i));
            assertThat(result(lookups().byId(r.messageId()))).as("by id, message %d", i).isPresent();
            assertThat(result(lookups().byKey(t, "key-" + i, 1))).as("by key, message %d", i)
                    .extracting(StoredMessage::messageId).containsExactly(r.messageId());
            assertThat(offsetForTime(t, queue, r.storeTimestamp() + 1)).as("by time, message %d", i).isEqualTo(r.queueOffset() + 1);
        }
    }

    @Test
    void futuresNeverCompleteOnStoreThreads() {
        String t = h.topic(1);
        MessageId id = h.send(t, 0, TestMessages.keyed("m", "k")).messageId();
        Set<String> threads = ConcurrentHashMap.newKeySet();
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            all.add(lookups().byId(id).thenRun(() -> threads.add(Thread.currentThread().getName())));
            all.add(lookups().byKey(t, "k", 1).thenRun(() -> threads.add(Thread.currentThread().getName())));
            all.add(lookups().offsetForTime(t, 0, 0).thenRun(() -> threads.add(Thread.currentThread().getName())));
        }
        all.forEach(f -> result(f));
        String me = Thread.currentThread().getName();
        // lookups the store answers at once finish on the caller's thread; others hop to an engine worker
        assertThat(threads).allMatch(name -> name.startsWith("tern-engine-") || name.equals(me), "engine or caller thread");
    }

    @Test
    void aClosedEngineRefusesLookups() {
        String t = h.topic(1);
        MessageId id = h.send(t, 0, TestMessages.keyed("m", "k")).messageId();
        h.engine().close();
        Expect.fails(lookups().byId(id), ErrorCode.STORE_CLOSED);
        Expect.fails(lookups().byKey(t, "k", 1), ErrorCode.STORE_CLOSED);
        Expect.fails(lookups().offsetForTime(t, 0, 0), ErrorCode.STORE_CLOSED);
    }

    private long offsetForTime(String topic, int queue, long timestamp) {
        return result(lookups().offsetForTime(topic, queue, timestamp));
    }
}
