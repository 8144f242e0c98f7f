package dev.tern.server;

import dev.tern.client.CheckedTransaction;
import dev.tern.client.Consumer;
import dev.tern.client.ConsumerConfig;
import dev.tern.client.LocalOutcome;
import dev.tern.client.TernClient;
import dev.tern.client.TransactionListener;
import dev.tern.client.TransactionProducer;
import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.common.message.Message;
import dev.tern.server.config.NodeConfig;
import dev.tern.server.node.TernNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The engine's client limits set by their keys on a whole node, reached by the Java client, with errors naming the keys. */
@Timeout(60)
class ClientLimitsNodeTest {
    @TempDir
    Path dir;
    private TernNode node;
    private TernClient client;

    @BeforeEach
    void start() throws IOException {
        node = TernNode.start(NodeConfig.resolve(null, Map.of(), Map.of("data.dir", dir.resolve("data").toString(), "native.port", "0",
                "http.port", "0", "mqtt.port", "-1", "filter.sql.max.depth", "3", "filter.max.length", "100", "txn.max.pending", "2")));
        client = TernClient.connect("127.0.0.1:" + node.nativePort());
        client.admin().createTopic("orders", 1);
    }

    @AfterEach
    void stop() {
        if (client != null) client.close();
        if (node != null) node.close();
    }

    private static void refused(Runnable call, ErrorCode code, String... words) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(TernException.class, e -> assertThat(e.code()).isEqualTo(code))
                .hasMessageContainingAll(words);
    }

    @Test
    void filtersOverTheLimitsAreRefused() {
        try (Consumer c = client.consumer(ConsumerConfig.group("deep").withSqlFilter("((((a = 1))))"))) {
            refused(() -> c.subscribe("orders"), ErrorCode.INVALID_ARGUMENT, "nesting deeper than 3 levels", "filter.sql.max.depth");
        }
        try (Consumer c = client.consumer(ConsumerConfig.group("long").withSqlFilter("a = '" + "x".repeat(100) + "'"))) {
            refused(() -> c.subscribe("orders"), ErrorCode.INVALID_ARGUMENT, "over the limit of 100", "filter.max.length");
        }
    }

    @Test
    void aProducerGroupPastItsPendingTransactionsIsRefused() {
        TransactionListener undecided = new TransactionListener() {
            @Override
            public LocalOutcome execute(Message message, Object arg) {
                return LocalOutcome.UNKNOWN;
            }

            @Override
            public LocalOutcome check(CheckedTransaction t) {
                return LocalOutcome.UNKNOWN;
            }
        };
        try (TransactionProducer p = client.transactionProducer("shop", undecided)) {
            p.send("orders", Message.of("one"), null);
            p.send("orders", Message.of("two"), null);
            refused(() -> p.send("orders", Message.of("three"), null), ErrorCode.LIMIT_EXCEEDED, "producer group 'shop'", "txn.max.pending");
        }
    }
}
