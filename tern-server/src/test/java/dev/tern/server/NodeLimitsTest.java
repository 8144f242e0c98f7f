package dev.tern.server;

import dev.tern.client.Producer;
import dev.tern.client.TernClient;
import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.common.message.Message;
import dev.tern.server.config.NodeConfig;
import dev.tern.server.node.TernNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The node's limits end to end, through the configuration keys, the real client and {@code /metrics}: a
 * connection past {@code native.max.connections}, sends to topics that do not exist (and cannot be created),
 * the meters of deleted topics and the cap on meters per topic.
 */
@Timeout(120)
class NodeLimitsTest {
    @TempDir
    Path dir;
    private TernNode node;
    private final List<TernClient> clients = new ArrayList<>();

    @AfterEach
    void stop() {
        clients.forEach(TernClient::close);
        if (node != null) node.close();
    }

    private void start(Map<String, String> settings) throws IOException {
        Map<String, String> all = new HashMap<>(Map.of("data.dir", dir.resolve("data").toString(), "native.port", "0",
                "http.port", "0", "mqtt.port", "-1"));
        all.putAll(settings);
        node = TernNode.start(NodeConfig.resolve(null, Map.of(), all));
    }

    private TernClient connect() {
        TernClient c = TernClient.connect("127.0.0.1:" + node.nativePort());
        clients.add(c);
        return c;
    }

    private String metrics() throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }
    }

    @Test
    void aClientPastNativeMaxConnectionsIsToldWhyAndCounted() throws Exception {
        start(Map.of("native.max.connections", "1"));
        TernClient first = connect();
        first.ping();
        TernClient second = connect(); // TCP is accepted; the refusal comes as the first frame
        assertThatThrownBy(second::ping).isInstanceOfSatisfying(TernException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED);
            assertThat(e.getMessage()).contains("native.max.connections");
        });
        first.ping();
        assertThat(metrics()).containsPattern("tern_native_connections_refused_total(\\{[^}]*})? [1-9]");
    }

    @Test
    void sendsToMissingTopicsLeaveNoTopicAndNoMeterBehind() throws Exception {
        start(Map.of("topic.auto.create", "true", "topic.max.count", "2"));
        TernClient client = connect();
        try (Producer p = client.producer()) {
            p.send("kept", Message.of("x"));
            p.send("other", Message.of("x"));
            String before = metrics();
            List<CompletableFuture<?>> sends = new ArrayList<>();
            for (int i = 0; i < 3_000; i++) sends.add(p.sendAsync("missing-" + i, Message.of("x")));
            for (CompletableFuture<?> s : sends) {
                assertThatThrownBy(s::join).isInstanceOf(CompletionException.class).cause().isInstanceOfSatisfying(TernException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED);
                    assertThat(e.getMessage()).contains("topic.max.count");
                });
            }
            String after = metrics();
            assertThat(after).doesNotContain("missing-");
            assertThat(after).contains("tern_send_errors_total{code=\"LIMIT_EXCEEDED\"} 3000.0");
            assertThat(meterLines(after)).isLessThanOrEqualTo(meterLines(before) + 1);
        }
        assertThat(client.admin().listTopics()).hasSize(2);
    }

    @Test
    void aDeletedTopicsMetersGoAndTopicsPastTheCapShareOneTag() throws Exception {
        start(Map.of("metrics.max.tag.values", "2"));
        TernClient client = connect();
        for (String t : List.of("a", "b", "c")) client.admin().createTopic(t, 1);
        try (Producer p = client.producer()) {
            for (String t : List.of("a", "b", "c")) p.send(t, Message.of("x"));
        }
        String three = metrics();
        assertThat(three).contains("tern_messages_sent_total{topic=\"a\"}").contains("tern_messages_sent_total{topic=\"b\"}")
                .contains("tern_messages_sent_total{topic=\"_other\"}").doesNotContain("tern_messages_sent_total{topic=\"c\"}");

        client.admin().deleteTopic("a");
        assertThat(metrics()).doesNotContain("tern_messages_sent_total{topic=\"a\"}");
        try (Producer p = client.producer()) {
            p.send("c", Message.of("x")); // the deleted topic's place is free
        }
        assertThat(metrics()).contains("tern_messages_sent_total{topic=\"c\"}");
    }

    /** Sample lines of a scrape (comments left out). */
    private static long meterLines(String scrape) {
        return scrape.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).count();
    }
}
