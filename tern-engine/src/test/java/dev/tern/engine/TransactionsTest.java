package dev.tern.engine;

import dev.tern.common.Clock;
import dev.tern.common.error.ErrorCode;
import dev.tern.common.message.Message;
import dev.tern.common.message.StoredMessage;
import dev.tern.store.api.Durability;
import dev.tern.store.api.MetadataStore;
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

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static dev.tern.testsupport.Await.await;
import static dev.tern.testsupport.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Transactional messages on both stores: halves invisible until committed, check-back, automatic rollback,
 * restarts and the crash window of a commit. The engine's clock is moved by hand (check times, ages).
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
@Timeout(60)
class TransactionsTest {
    static final long T0 = 1_800_000_000_000L;
    static final TransactionConfig TXN = new TransactionConfig(1_000, 1_000, 2, 60_000);
    @Parameter
    StoreKind kind;
    @TempDir
    Path dir;
    final ManualClock clock = new ManualClock(T0);
    EngineHarness h;

    @BeforeEach
    void open() {
        h = new EngineHarness(kind, dir, Clock.SYSTEM, EngineConfig.defaults().withClock(clock).withTransactions(TXN), EngineMetrics.NONE);
    }

    @AfterEach
    void close() {
        h.close();
    }

    private Transactions txn() {
        return h.engine().transactions();
    }

    private String prepare(String group, String topic, Message... batch) {
        return result(txn().prepare(group, topic, QueueTarget.queue(0), List.of(batch), null));
    }

    private List<String> bodies(String topic) {
        return h.pullAll(topic, 0, 0, null).stream().map(StoredMessage::bodyAsString).toList();
    }

    private List<PendingTransaction> poll(String group) {
        return result(txn().pollChecks(group, 10, Duration.ZERO));
    }

    @Test
    void aHalfIsInvisibleUntilCommittedThenStoredOnceWithAProperOffset() {
        String t = h.topic(1);
        h.send(t, 0, TestMessages.text("before"));
        String id = prepare("shop", t, TestMessages.keyed("order-1", "k1"), TestMessages.keyed("order-2", "k1"));
        assertThat(id).hasSize(32);
        assertThat(bodies(t)).containsExactly("before");
        assertThat(result(h.engine().lookups().byKey(t, "k1", 10))).isEmpty();

        List<SendResult> committed = result(txn().end(id, Transactions.Outcome.COMMIT));
        assertThat(committed).extracting(SendResult::queueOffset).containsExactly(1L, 2L);
        assertThat(bodies(t)).containsExactly("before", "order-1", "order-2");
        StoredMessage stored = result(h.engine().lookups().byId(committed.getFirst().messageId())).orElseThrow();
        assertThat(stored.properties()).containsEntry(Transactions.TXN_ID_PROPERTY, id);
        assertThat(result(h.engine().lookups().byKey(t, "k1", 10))).hasSize(2);

        assertThat(result(txn().end(id, Transactions.Outcome.COMMIT))).as("a retried commit answers the same").isEqualTo(committed);
        assertThat(bodies(t)).hasSize(3);
        assertThat(Expect.fails(txn().end(id, Transactions.Outcome.ROLLBACK), ErrorCode.TRANSACTION_NOT_FOUND).getMessage())
                .contains("committed by its producer");
        assertThat(result(txn().pending(null, 10))).isEmpty();
    }

    @Test
    void aRolledBackTransactionIsNeverVisibleAndUnknownIdsAreNotFound() {
        String t = h.topic(1);
        String id = prepare("shop", t, TestMessages.text("never"));
        assertThat(result(txn().end(id, Transactions.Outcome.ROLLBACK))).isEmpty();
        assertThat(result(txn().end(id, Transactions.Outcome.ROLLBACK))).isEmpty();
        assertThat(Expect.fails(txn().end(id, Transactions.Outcome.COMMIT), ErrorCode.TRANSACTION_NOT_FOUND).getMessage())
                .contains("rolled back by its producer");
        assertThat(bodies(t)).isEmpty();
        assertThat(poll("shop")).isEmpty();
        clock.advance(5_000);
        assertThat(poll("shop")).as("no check-back for an ended transaction").isEmpty();
        Expect.fails(txn().end("0".repeat(32), Transactions.Outcome.COMMIT), ErrorCode.TRANSACTION_NOT_FOUND);
        Expect.fails(txn().end("not-an-id", Transactions.Outcome.COMMIT), ErrorCode.TRANSACTION_NOT_FOUND);
    }

    @Test
    void badPreparesAreRefusedAndStoreNothing() {
        String t = h.topic(1);
        Expect.fails(txn().prepare("shop", "missing", QueueTarget.queue(0), List.of(TestMessages.text("x")), null), ErrorCode.TOPIC_NOT_FOUND);
        Message idempotent = Message.builder(new byte[1]).producer(7, 0).build();
        assertThat(Expect.fails(txn().prepare("shop", t, QueueTarget.queue(0), List.of(idempotent), null), ErrorCode.INVALID_ARGUMENT)
                .getMessage()).contains("idempotent");
        Expect.fails(txn().prepare("shop", t, QueueTarget.queue(0), List.of(), null), ErrorCode.INVALID_ARGUMENT);
        Expect.fails(txn().prepare("shop", t, QueueTarget.queue(0), List.of(TestMessages.sized(StoreKind.MAX_MESSAGE_BYTES + 1)), null),
                ErrorCode.MESSAGE_TOO_LARGE);
        Expect.fails(txn().prepare("shop", t, QueueTarget.queue(3), List.of(TestMessages.text("x")), null), ErrorCode.QUEUE_NOT_FOUND);
        assertThat(result(txn().pending(null, 10))).isEmpty();
    }

    @Test
    void checkBackOffersOnlyOldEnoughTransactionsOfTheGroupHonoursTheIntervalAndRollsBackAfterTheMax() {
        String t = h.topic(1);
        String id = prepare("shop", t, TestMessages.text("pending"));
        clock.advance(500);
        String younger = prepare("shop", t, TestMessages.text("younger"));
        assertThat(poll("shop")).as("not older than txn.check.timeout.ms yet").isEmpty();

        clock.advance(500);
        List<PendingTransaction> first = poll("shop");
        assertThat(first).extracting(PendingTransaction::id).containsExactly(id);
        assertThat(first.getFirst().checks()).isEqualTo(1);
        assertThat(first.getFirst().messages()).extracting(m -> new String(m.body(), StandardCharsets.UTF_8)).containsExactly("pending");
        assertThat(poll("shop")).as("checked: not again before the interval").isEmpty();
        assertThat(poll("other")).as("another group's producers are not asked").isEmpty();

        clock.advance(500);
        assertThat(poll("shop")).extracting(PendingTransaction::id).containsExactly(younger);
        result(txn().end(younger, Transactions.Outcome.COMMIT));
        clock.advance(500);
        assertThat(poll("shop")).extracting(PendingTransaction::checks).containsExactly(2);
        clock.advance(1_000);
        assertThat(poll("shop")).as("txn.check.max reached: rolled back instead").isEmpty();
        assertThat(result(txn().pending("shop", 10))).isEmpty();
        assertThat(Expect.fails(txn().end(id, Transactions.Outcome.COMMIT), ErrorCode.TRANSACTION_NOT_FOUND).getMessage())
                .contains("txn.check.max");
        assertThat(bodies(t)).containsExactly("younger");
    }

    @Test
    void aWaitingCheckPollAnswersOnceATransactionBecomesDue() {
        String t = h.topic(1);
        String id = prepare("shop", t, TestMessages.text("x"));
        CompletableFuture<List<PendingTransaction>> waiting = txn().pollChecks("shop", 10, Duration.ofSeconds(20));
        assertThat(waiting).isNotDone();
        clock.advance(1_000);
        assertThat(result(waiting)).extracting(PendingTransaction::id).containsExactly(id);
        CompletableFuture<List<PendingTransaction>> cancelled = txn().pollChecks("shop", 10, Duration.ofSeconds(20));
        cancelled.cancel(true);
        assertThat(result(txn().pollChecks("shop", 10, Duration.ofMillis(50)))).isEmpty();

        CompletableFuture<List<PendingTransaction>> next = txn().pollChecks("shop", 10, Duration.ofSeconds(20));
        String later = prepare("shop", t, TestMessages.text("y")); // prepared while a poll waits and its rounds find nothing
        clock.advance(999);
        assertThat(next).isNotDone();
        clock.advance(1);
        assertThat(result(next)).extracting(PendingTransaction::id).containsExactlyInAnyOrder(id, later);
    }

    @Test
    void aTransactionOlderThanTheMaxAgeIsRolledBackEvenIfNobodyPolls() {
        String t = h.topic(1);
        String id = prepare("gone", t, TestMessages.text("x"));
        assertThat(result(txn().pending("gone", 10))).hasSize(1);
        clock.advance(60_001);
        await().untilAsserted(() -> assertThat(result(txn().pending(null, 10))).isEmpty());
        assertThat(Expect.fails(txn().end(id, Transactions.Outcome.COMMIT), ErrorCode.TRANSACTION_NOT_FOUND).getMessage())
                .contains("txn.max.age.ms");
        assertThat(bodies(t)).isEmpty();
    }

    @Test
    void delayedMessagesOfACommittedTransactionWaitForTheirTime() {
        String t = h.topic(1);
        String id = prepare("shop", t, Message.builder("later".getBytes(StandardCharsets.UTF_8)).deliverAt(T0 + 2_000).build());
        assertThat(result(txn().end(id, Transactions.Outcome.COMMIT))).extracting(SendResult::queueOffset).containsExactly(-1L);
        assertThat(bodies(t)).isEmpty();
        clock.advance(2_000);
        await().untilAsserted(() -> assertThat(bodies(t)).containsExactly("later"));
        assertThat(result(txn().pending(null, 10))).isEmpty();
    }

    @Test
    void aPendingTransactionSurvivesARestartAndIsCheckedThenCommittedOnce() {
        org.junit.jupiter.api.Assumptions.assumeTrue(kind == StoreKind.LOCAL, "only the local store keeps data across a restart");
        String t = h.topic(1);
        String id = prepare("shop", t, TestMessages.text("survivor"));
        h.restart();
        assertThat(result(txn().pending("shop", 10))).extracting(PendingTransaction::id).containsExactly(id);
        assertThat(bodies(t)).isEmpty();
        clock.advance(1_000);
        assertThat(poll("shop")).extracting(PendingTransaction::id).containsExactly(id);
        result(txn().end(id, Transactions.Outcome.COMMIT));
        h.restart();
        assertThat(bodies(t)).containsExactly("survivor");
        assertThat(result(txn().end(id, Transactions.Outcome.COMMIT))).extracting(SendResult::queueOffset).containsExactly(0L);
    }

    /**
     * The state a crash leaves between step 1 (COMMITTING written) and step 3; {@code meanwhile} appends
     * before the state is written, so the engine's upkeep cannot finish the commit in between.
     */
    private void leaveCommitting(String id, String topic, java.util.function.Consumer<HalfEntry> meanwhile) {
        TxnKeys.Id key = TxnKeys.Id.parse(id);
        MetadataStore metadata = h.store().metadata();
        HalfEntry e = HalfEntry.decode(key, result(metadata.get(TxnKeys.half(key))).orElseThrow());
        long next = result(h.store().log().range(topic, 0)).nextOffset();
        meanwhile.accept(e);
        result(metadata.write(List.of(MetadataStore.Op.put(TxnKeys.half(key), e.committingFrom(next).encode()),
                MetadataStore.Op.delete(TxnKeys.check(e.producerGroup(), e.nextCheckMs(), key)),
                MetadataStore.Op.put(TxnKeys.committing(key), new byte[0])), Durability.SYNC));
    }

    @Test
    void aCommitInterruptedAfterItsAppendIsFinishedWithoutAppendingAgain() {
        String t = h.topic(1);
        String id = prepare("shop", t, TestMessages.text("a"), TestMessages.text("b"));
        leaveCommitting(id, t, e -> {
            h.send(t, 0, TestMessages.text("other producer"));
            result(h.store().log().append(t, 0, e.messages(), Durability.SYNC)); // step 2 done, step 3 lost
        });
        if (kind == StoreKind.LOCAL) h.restart();
        await().untilAsserted(() -> assertThat(result(txn().pending(null, 10))).isEmpty());
        assertThat(bodies(t)).containsExactly("other producer", "a", "b");
        assertThat(result(txn().end(id, Transactions.Outcome.COMMIT))).extracting(SendResult::queueOffset).containsExactly(1L, 2L);
        assertThat(bodies(t)).hasSize(3);
    }

    @Test
    void aCommitInterruptedBeforeItsAppendIsFinishedByARetriedCommit() {
        String t = h.topic(1);
        String id = prepare("shop", t, TestMessages.text("a"));
        leaveCommitting(id, t, e -> {
        });
        Expect.fails(txn().end(id, Transactions.Outcome.ROLLBACK), ErrorCode.TRANSACTION_NOT_FOUND);
        List<SendResult> r = result(txn().end(id, Transactions.Outcome.COMMIT));
        assertThat(r).extracting(SendResult::queueOffset).containsExactly(0L);
        assertThat(bodies(t)).containsExactly("a");
    }

    @Test
    void concurrentAndRepeatedCommitsStoreEachTransactionOnce() {
        String t = h.topic(1);
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) ids.add(prepare("shop", t, TestMessages.text("m" + i)));
        List<CompletableFuture<List<SendResult>>> first = new java.util.ArrayList<>(), second = new java.util.ArrayList<>();
        for (String id : ids) {
            first.add(txn().end(id, Transactions.Outcome.COMMIT));
            second.add(txn().end(id, Transactions.Outcome.COMMIT));
        }
        for (int i = 0; i < ids.size(); i++) assertThat(result(second.get(i))).isEqualTo(result(first.get(i)));
        List<String> stored = bodies(t);
        assertThat(stored).hasSize(40).doesNotHaveDuplicates();
        assertThat(result(txn().pending(null, 100))).isEmpty();
    }

    @Test
    void pendingListsOldestFirstAndByGroup() {
        String t = h.topic(2);
        String a = prepare("g1", t, TestMessages.text("a"));
        clock.advance(1);
        String b = prepare("g2", t, TestMessages.text("b"));
        clock.advance(1);
        String c = prepare("g1", t, TestMessages.text("c"));
        assertThat(result(txn().pending(null, 10))).extracting(PendingTransaction::id).containsExactly(a, b, c);
        assertThat(result(txn().pending("g1", 10))).extracting(PendingTransaction::id).containsExactly(a, c);
        assertThat(result(txn().pending(null, 2))).hasSize(2);
        PendingTransaction first = result(txn().pending(null, 1)).getFirst();
        assertThat(first.producerGroup()).isEqualTo("g1");
        assertThat(first.topic()).isEqualTo(t);
        assertThat(first.prepareTimeMs()).isEqualTo(T0);
        Expect.fails(txn().pending(null, 0), ErrorCode.INVALID_ARGUMENT);
    }
}
