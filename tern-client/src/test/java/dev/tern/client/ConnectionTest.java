package dev.tern.client;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.common.message.Message;
import dev.tern.engine.EngineConfig;
import dev.tern.protocol.fixture.ServerFixture;
import dev.tern.protocol.server.NativeServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;

import static dev.tern.testsupport.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The client's connection: failures, timeouts, keep-alive, reconnection, many requests at once. */
class ConnectionTest {
    @TempDir
    Path dir;
    private ServerFixture node;

    @AfterEach
    void tearDown() {
        if (node != null) node.close();
    }

    @Test
    void nothingListeningIsAConnectionError() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        assertThatThrownBy(() -> TernClient.connect("127.0.0.1:" + port))
                .isInstanceOfSatisfying(TernException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION);
                    assertThat(e.getMessage()).contains("127.0.0.1:" + port);
                });
    }

    @Test
    void aServerThatNeverAnswersTimesTheRequestOut() throws Exception {
        try (ServerSocket silent = new ServerSocket(0)) {
            CompletableFuture<Socket> accepted = CompletableFuture.supplyAsync(() -> {
                try {
                    return silent.accept();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            ClientConfig config = ClientConfig.of("127.0.0.1:" + silent.getLocalPort()).withRequestTimeoutMs(300);
            try (TernClient client = TernClient.connect(config)) {
                assertThatThrownBy(client::ping).isInstanceOfSatisfying(TernException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT);
                    assertThat(e.retriable()).isTrue();
                });
            } finally {
                accepted.get().close();
            }
        }
    }

    @Test
    void pingsKeepAnIdleConnectionOpen() {
        node = ServerFixture.start(dir, EngineConfig.defaults(), NativeServerConfig.ephemeral().withIdleTimeoutMs(400),
                UnaryOperator.identity());
        try (TernClient client = TernClient.connect(ClientConfig.of(node.address()).withPingIntervalMs(100))) {
            await().during(Duration.ofMillis(1_500)).atMost(Duration.ofSeconds(5)).until(client::isConnected);
            assertThat(node.server().connections()).isEqualTo(1);
        }
    }

    @Test
    void anIdleConnectionClosedByTheServerIsReopenedByTheNextRequest() {
        node = ServerFixture.start(dir, EngineConfig.defaults(), NativeServerConfig.ephemeral().withIdleTimeoutMs(300),
                UnaryOperator.identity());
        try (TernClient client = TernClient.connect(ClientConfig.of(node.address()).withPingIntervalMs(60_000))) {
            await().until(() -> !client.isConnected());
            client.ping();
            assertThat(client.isConnected()).isTrue();
        }
    }

    @Test
    void engineErrorsLeaveTheConnectionOpen() {
        node = ServerFixture.start(dir);
        try (TernClient client = TernClient.connect(node.address())) {
            assertThatThrownBy(() -> client.admin().createTopic("bad name!", 1))
                    .isInstanceOfSatisfying(TernException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
            assertThatThrownBy(() -> client.admin().createTopic("t", 0))
                    .isInstanceOfSatisfying(TernException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
            client.ping();
            assertThat(node.server().connections()).isEqualTo(1);
        }
    }

    @Test
    void manyThreadsShareOneClient() throws Exception {
        node = ServerFixture.start(dir);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try (TernClient client = TernClient.connect(node.address())) {
            client.admin().createTopic("shared", 4);
            try (Producer producer = client.producer()) {
                List<CompletableFuture<Void>> work = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    int thread = t;
                    work.add(CompletableFuture.runAsync(() -> {
                        for (int i = 0; i < 200; i++) {
                            client.ping();
                            producer.send("shared", thread % 4, Message.of(thread + "-" + i));
                        }
                    }, threads));
                }
                CompletableFuture.allOf(work.toArray(CompletableFuture[]::new)).join();
            }
            assertThat(client.admin().describeTopic("shared").orElseThrow().messages()).isEqualTo(1_600);
            assertThat(node.server().connections()).isEqualTo(1);
        } finally {
            threads.shutdownNow();
        }
    }
}
