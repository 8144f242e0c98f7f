package dev.tern.engine;

import dev.tern.common.Clock;
import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.common.message.Message;
import dev.tern.engine.sql.SqlLimits;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import static dev.tern.testsupport.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

/** The limits of {@link ClientLimits}, each reached through the engine API, with the error naming its key. */
@ParameterizedClass
@EnumSource(StoreKind.class)
@Timeout(60)
class ClientLimitsTest {
    static final ClientLimits LIMITS = ClientLimits.defaults().withGroups(3, 10).withTxnMaxPending(5)
            .withFilters(new SqlLimits(200, 4, 3));
    @Parameter
    StoreKind kind;
    @TempDir
    Path dir;
    EngineHarness h;
    String topic;

    @BeforeEach
    void open() {
        h = new EngineHarness(kind, dir, Clock.SYSTEM, EngineConfig.defaults().withClientLimits(LIMITS), EngineMetrics.NONE);
        topic = h.topic(2);
    }

    @AfterEach
    void close() {
        h.close();
    }

    private CompletableFuture<Membership> join(String group, String... topics) {
        return h.engine().groups().join(new JoinRequest(group, null, "client", Set.of(topics), ConsumeMode.CLUSTERING, StartPosition.earliest()));
    }

    @Test
    void aGroupTakesNoMoreThanItsMembersLimit() {
        List<Membership> members = new ArrayList<>();
        for (int i = 0; i < 3; i++) members.add(result(join("g", topic)));
        TernException e = Expect.fails(join("g", topic), ErrorCode.LIMIT_EXCEEDED);
        assertThat(e.getMessage()).contains("group 'g' has 3 live members", "group.max.members");
        // a member that leaves makes room
        result(h.engine().groups().leave("g", members.getFirst().memberId()));
        result(join("g", topic));
    }

    @Test
    void theNodeTakesNoMoreThanItsSubscriptionsLimitOverAllGroups() {
        DefaultGroupCoordinator groups = (DefaultGroupCoordinator) h.engine().groups();
        Membership wide = result(join("a", "t1", "t2", "t3", "t4", "t5", "t6"));
        result(join("b", "t1", "t2", "t3"));
        assertThat(groups.subscriptions()).isEqualTo(9);
        TernException e = Expect.fails(join("c", "t1", "t2"), ErrorCode.LIMIT_EXCEEDED);
        assertThat(e.getMessage()).contains("9 live subscriptions", "group.max.subscriptions (10)");
        // a re-join with fewer topics gives some back
        result(h.engine().groups().join(new JoinRequest("a", wide.memberId(), "client", Set.of("t1"), ConsumeMode.CLUSTERING,
                StartPosition.earliest())));
        assertThat(groups.subscriptions()).isEqualTo(4);
        result(join("c", "t1", "t2"));
        result(h.engine().groups().leave("a", wide.memberId()));
        assertThat(groups.subscriptions()).isEqualTo(5);
    }

    @Test
    void aProducerGroupTakesNoMoreThanItsPendingTransactionsLimit() {
        Transactions txn = h.engine().transactions();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) ids.add(result(txn.prepare("shop", topic, QueueTarget.queue(0), List.of(TestMessages.text("m" + i)), null)));
        TernException e = Expect.fails(txn.prepare("shop", topic, QueueTarget.queue(0), List.of(TestMessages.text("over")), null),
                ErrorCode.LIMIT_EXCEEDED);
        assertThat(e.getMessage()).contains("producer group 'shop' has 5 transactions prepared and not ended", "txn.max.pending");
        // other producer groups are counted apart; ending transactions makes room
        result(txn.prepare("other", topic, QueueTarget.queue(0), List.of(TestMessages.text("x")), null));
        result(txn.end(ids.get(0), Transactions.Outcome.COMMIT));
        result(txn.end(ids.get(1), Transactions.Outcome.ROLLBACK));
        for (int i = 0; i < 2; i++) result(txn.prepare("shop", topic, QueueTarget.queue(0), List.of(TestMessages.text("again" + i)), null));
        Expect.fails(txn.prepare("shop", topic, QueueTarget.queue(0), List.of(TestMessages.text("over")), null), ErrorCode.LIMIT_EXCEEDED);
    }

    private CompletableFuture<PullResult> pull(String filter) {
        return h.engine().pull(new PullRequest(topic, 0, 0, 10, 1 << 20, Duration.ZERO, filter));
    }

    @Test
    void filtersOverTheirLimitsAreRefusedNamingTheKey() {
        assertThat(Expect.fails(pull("sql: " + "(".repeat(5) + "a = 1" + ")".repeat(5)), ErrorCode.INVALID_ARGUMENT).getMessage())
                .contains("nesting deeper than 4 levels", "filter.sql.max.depth");
        assertThat(Expect.fails(pull("sql: a IN (1, 2, 3, 4)"), ErrorCode.INVALID_ARGUMENT).getMessage())
                .contains("more than 3 values", "filter.sql.max.in.values");
        assertThat(Expect.fails(pull("TagA || " + "x".repeat(200)), ErrorCode.INVALID_ARGUMENT).getMessage())
                .contains("over the limit of 200", "filter.max.length");
        try (PullResult r = result(pull("sql: ((a = 1)) OR a IN (1, 2, 3)"))) {
            assertThat(r.status()).isNotNull();
        }
    }

    @Test
    void sqlConditionsRunApartFromTheThreadsThatAnswerSends() throws InterruptedException {
        DefaultEngine engine = (DefaultEngine) h.engine();
        h.send(topic, 0, Message.builder("eu".getBytes()).properties(Map.of("region", "eu")).build());
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch busy = new CountDownLatch(engine.filterThreads().size());
        for (int i = 0; i < engine.filterThreads().size(); i++) {
            engine.filterThreads().execute(() -> {
                busy.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        busy.await();
        try {
            CompletableFuture<PullResult> filtered = pull("sql: region = 'eu'");
            // every filter thread is held: sends are still answered, and pulls without a condition too
            for (int i = 0; i < 100; i++) h.send(topic, 1, Message.of("meanwhile"));
            try (PullResult plain = result(pull("*"))) {
                assertThat(plain.records()).hasSize(1);
            }
            assertThat(filtered).isNotDone();
            release.countDown();
            try (PullResult r = result(filtered)) {
                assertThat(r.records()).hasSize(1);
            }
        } finally {
            release.countDown();
        }
    }
}
