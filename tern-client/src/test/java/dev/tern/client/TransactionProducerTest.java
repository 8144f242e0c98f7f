package dev.tern.client;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.common.message.Message;
import dev.tern.engine.EngineConfig;
import dev.tern.engine.TransactionConfig;
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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

import static dev.tern.testsupport.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Transactional messages through a real client and server: commit, rollback, UNKNOWN settled by check-back,
 * and a restart of the server in the middle. Real time, with a short check timeout and interval.
 */
@Timeout(60)
class TransactionProducerTest {
    static final TransactionConfig TXN = new TransactionConfig(300, 500, 50, 60_000);
    @TempDir
    Path dir;
    private ServerFixture node;
    private TernClient client;

    @BeforeEach
    void setUp() {
        node = ServerFixture.start(dir, EngineConfig.defaults().withTransactions(TXN), NativeServerConfig.ephemeral(), UnaryOperator.identity());
        client = TernClient.connect(node.address());
        client.admin().createTopic("orders", 2);
    }

    @AfterEach
    void tearDown() {
        client.close();
        node.close();
    }

    /** A local "database": what execute did, by message body, and what check reports. */
    static final class Ledger implements TransactionListener {
        final Map<String, LocalOutcome> outcomes = new ConcurrentHashMap<>();
        final List<CheckedTransaction> checked = new CopyOnWriteArrayList<>();

        @Override
        public LocalOutcome execute(Message message, Object arg) {
            if (arg instanceof RuntimeException e) throw e;
            LocalOutcome outcome = (LocalOutcome) arg;
            outcomes.put(new String(message.body()), outcome);
            return outcome;
        }

        @Override
        public LocalOutcome check(CheckedTransaction t) {
            checked.add(t);
            return outcomes.getOrDefault(new String(t.message().body()), LocalOutcome.UNKNOWN);
        }
    }

    private List<String> consumed(String topic) {
        Consumer c = client.consumer(ConsumerConfig.noGroup());
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        for (int q = 0; q < 2; q++) c.pull(topic, q, 0, 100, Duration.ZERO).messages().forEach(m -> out.add(m.bodyAsString()));
        return out;
    }

    @Test
    void committedMessagesAreConsumedAndRolledBackOnesNever() {
        Ledger ledger = new Ledger();
        try (TransactionProducer p = client.transactionProducer("shop", ledger)) {
            TransactionSendResult ok = p.send("orders", Message.builder("paid".getBytes()).keys("o-1").build(), LocalOutcome.COMMIT);
            assertThat(ok.outcome()).isEqualTo(LocalOutcome.COMMIT);
            assertThat(ok.results()).hasSize(1);
            assertThat(ok.results().getFirst().queueOffset()).isZero();
            TransactionSendResult no = p.send("orders", 0, Message.of("cancelled"), LocalOutcome.ROLLBACK);
            assertThat(no.results()).isEmpty();
            assertThat(no.transactionId()).isNotEqualTo(ok.transactionId());
        }
        assertThat(consumed("orders")).containsExactly("paid");
        ReceivedMessage m = client.admin().lookupByKey("orders", "o-1", 1).getFirst();
        assertThat(m.properties()).containsKey("tern.txn.id");
        assertThat(ledger.checked).isEmpty();
        assertThat(client.admin().pendingTransactions(null, 10)).isEmpty();
    }

    @Test
    void anUnknownOutcomeIsSettledByCheckBackFromTheListener() {
        Ledger ledger = new Ledger();
        try (TransactionProducer p = client.transactionProducer("shop", ledger)) {
            TransactionSendResult r = p.send("orders", 1, Message.of("slow"), LocalOutcome.UNKNOWN);
            assertThat(r.results()).isEmpty();
            assertThat(consumed("orders")).isEmpty();
            ledger.outcomes.put("slow", LocalOutcome.COMMIT); // the local transaction finished meanwhile
            await().untilAsserted(() -> assertThat(consumed("orders")).containsExactly("slow"));
            assertThat(ledger.checked).extracting(CheckedTransaction::transactionId).contains(r.transactionId());
            assertThat(ledger.checked.getFirst().producerGroup()).isEqualTo("shop");
        }
    }

    @Test
    void anExceptionInExecuteLeavesItToCheckBackWhichRollsBack() {
        Ledger ledger = new Ledger();
        try (TransactionProducer p = client.transactionProducer("shop", ledger)) {
            TransactionSendResult r = p.send("orders", 0, Message.of("broken"), new IllegalStateException("database down"));
            assertThat(r.outcome()).isEqualTo(LocalOutcome.UNKNOWN);
            ledger.outcomes.put("broken", LocalOutcome.ROLLBACK);
            await().untilAsserted(() -> assertThat(client.admin().pendingTransactions("shop", 10)).isEmpty());
        }
        assertThat(consumed("orders")).isEmpty();
        assertThat(ledger.checked).isNotEmpty();
    }

    @Test
    void aTransactionPendingAcrossAServerRestartIsCommittedOnceByANewProducerOfTheGroup() {
        String id;
        try (TransactionProducer p = client.transactionProducer("shop", new Ledger())) {
            id = p.send("orders", 0, Message.of("survivor"), LocalOutcome.UNKNOWN).transactionId();
        }
        client.close();
        node.restart();
        client = TernClient.connect(node.address());
        assertThat(client.admin().pendingTransactions("shop", 10)).extracting(CheckedTransaction::transactionId).containsExactly(id);
        assertThat(consumed("orders")).isEmpty();

        Ledger after = new Ledger();
        after.outcomes.put("survivor", LocalOutcome.COMMIT);
        try (TransactionProducer p = client.transactionProducer("shop", after)) {
            await().untilAsserted(() -> assertThat(consumed("orders")).containsExactly("survivor"));
        }
        try (Consumer group = client.consumer(ConsumerConfig.group("billing").withStart(dev.tern.engine.StartPosition.earliest()))) {
            group.subscribe("orders");
            List<String> got = new CopyOnWriteArrayList<>();
            await().untilAsserted(() -> {
                group.poll(Duration.ofMillis(100)).forEach(m -> got.add(m.bodyAsString()));
                assertThat(got).containsExactly("survivor");
            });
            assertThat(group.poll(Duration.ofMillis(300))).as("consumed once").isEmpty();
        }
    }

    @Test
    void anOpenProducerKeepsAnsweringCheckBacksAfterTheServerRestarts() {
        Ledger ledger = new Ledger();
        try (TransactionProducer p = client.transactionProducer("shop", ledger)) {
            p.send("orders", 0, Message.of("across"), LocalOutcome.UNKNOWN);
            node.restart();
            ledger.outcomes.put("across", LocalOutcome.COMMIT);
            await().untilAsserted(() -> assertThat(consumed("orders")).containsExactly("across"));
        }
    }

    @Test
    void operatorsListCommitAndRollBackPendingTransactions() {
        String a, b;
        try (TransactionProducer p = client.transactionProducer("shop", new Ledger())) {
            a = p.send("orders", 0, Message.of("a"), LocalOutcome.UNKNOWN).transactionId();
            b = p.send("orders", 0, Message.of("b"), LocalOutcome.UNKNOWN).transactionId();
        } // nobody of the group polls now: no check-back counts towards txn.check.max while the operator looks
        assertThat(client.admin().pendingTransactions("shop", 10)).extracting(CheckedTransaction::transactionId).containsExactly(a, b);
        assertThat(client.admin().pendingTransactions("nobody", 10)).isEmpty();
        assertThat(client.admin().commitTransaction(a)).extracting(r -> r.queueOffset()).containsExactly(0L);
        client.admin().rollbackTransaction(b);
        assertThatThrownBy(() -> client.admin().commitTransaction(b)).isInstanceOfSatisfying(TernException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.TRANSACTION_NOT_FOUND));
        assertThat(consumed("orders")).containsExactly("a");
    }
}
