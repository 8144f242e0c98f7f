package dev.tern.server;

import dev.tern.client.CheckedTransaction;
import dev.tern.client.Consumer;
import dev.tern.client.ConsumerConfig;
import dev.tern.client.LocalOutcome;
import dev.tern.client.TernClient;
import dev.tern.client.TransactionListener;
import dev.tern.client.TransactionProducer;
import dev.tern.common.message.Message;
import dev.tern.engine.StartPosition;
import dev.tern.server.config.NodeConfig;
import dev.tern.server.node.TernNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.tern.testsupport.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Transactional messages end to end on a whole node (ephemeral ports, short check-back timings): a consumer
 * subscribed all along receives committed messages only, and a transaction left unknown when the node stops
 * is settled by check-back after it starts again on the same data directory, and consumed once.
 */
@Timeout(90)
class TransactionNodeTest {
    @TempDir
    Path dir;
    private TernNode node;

    @AfterEach
    void stop() {
        if (node != null) node.close();
    }

    private TernNode start() throws IOException {
        node = TernNode.start(NodeConfig.resolve(null, Map.of(), Map.of("data.dir", dir.resolve("data").toString(), "native.port", "0",
                "http.port", "0", "mqtt.port", "-1", "txn.check.timeout.ms", "300", "txn.check.interval.ms", "500", "txn.check.max", "1000")));
        return node;
    }

    /** Answers execute with the arg, and check-backs with what {@code decided} says of the body. */
    private static TransactionListener listener(Map<String, LocalOutcome> decided) {
        return new TransactionListener() {
            @Override
            public LocalOutcome execute(Message message, Object arg) {
                return (LocalOutcome) arg;
            }

            @Override
            public LocalOutcome check(CheckedTransaction t) {
                return decided.getOrDefault(new String(t.message().body(), StandardCharsets.UTF_8), LocalOutcome.UNKNOWN);
            }
        };
    }

    private static List<String> drain(Consumer c, List<String> into, int expected) {
        await().untilAsserted(() -> {
            c.poll(Duration.ofMillis(100)).forEach(m -> into.add(m.bodyAsString()));
            assertThat(into).hasSizeGreaterThanOrEqualTo(expected);
        });
        into.addAll(c.poll(Duration.ofMillis(700)).stream().map(m -> m.bodyAsString()).toList());
        return into;
    }

    @Test
    void unknownTransactionsAreResolvedByCheckBackAcrossANodeRestartAndRolledBackOnesAreNeverConsumed() throws IOException {
        start();
        String pendingId;
        List<String> seen = new CopyOnWriteArrayList<>();
        try (TernClient client = TernClient.connect("127.0.0.1:" + node.nativePort())) {
            client.admin().createTopic("orders", 2);
            try (Consumer consumer = client.consumer(ConsumerConfig.group("billing").withStart(StartPosition.earliest()));
                 TransactionProducer p = client.transactionProducer("shop", listener(Map.of("late-rollback", LocalOutcome.ROLLBACK)))) {
                consumer.subscribe("orders");
                p.send("orders", Message.of("committed"), LocalOutcome.COMMIT);
                p.send("orders", Message.of("rolled-back"), LocalOutcome.ROLLBACK);
                p.send("orders", Message.of("late-rollback"), LocalOutcome.UNKNOWN);
                pendingId = p.send("orders", Message.of("survivor"), LocalOutcome.UNKNOWN).transactionId();
                drain(consumer, seen, 1);
                await().untilAsserted(() -> assertThat(client.admin().pendingTransactions("shop", 10))
                        .extracting(CheckedTransaction::transactionId).containsExactly(pendingId));
                consumer.commit();
            }
        }
        assertThat(seen).containsExactly("committed");

        node.close();
        start();
        try (TernClient client = TernClient.connect("127.0.0.1:" + node.nativePort())) {
            assertThat(client.admin().pendingTransactions(null, 10)).extracting(CheckedTransaction::transactionId).containsExactly(pendingId);
            try (Consumer consumer = client.consumer(ConsumerConfig.group("billing").withStart(StartPosition.earliest()));
                 TransactionProducer p = client.transactionProducer("shop", listener(Map.of("survivor", LocalOutcome.COMMIT)))) {
                consumer.subscribe("orders");
                List<String> after = drain(consumer, new CopyOnWriteArrayList<>(), 1);
                assertThat(after).as("the survivor, once").containsExactly("survivor");
            }
            assertThat(client.admin().pendingTransactions(null, 10)).isEmpty();
        }
    }
}
