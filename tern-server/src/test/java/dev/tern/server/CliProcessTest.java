package dev.tern.server;

import dev.tern.server.config.NodeConfig;
import dev.tern.server.node.TernNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.tern.testsupport.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command line as a user drives it: each {@code tern} command runs as a separate process against a
 * real node on ephemeral ports.
 */
@Timeout(180)
class CliProcessTest {
    @TempDir
    Path dir;

    private TernNode node;
    private String server;

    record Run(int exit, String out, String err) {
    }

    @BeforeEach
    void startNode() throws IOException {
        node = TernNode.start(NodeConfig.resolve(null, Map.of(), Map.of("data.dir", dir.resolve("data").toString(),
                "native.port", "0", "http.port", "0", "ack.max.attempts", "2", "ack.retry.backoff.ms", "50",
                "mqtt.port", "0", "mqtt.ws.port", "0")));
        server = "127.0.0.1:" + node.nativePort();
    }

    @AfterEach
    void stopNode() {
        if (node != null) node.close();
    }

    private Run tern(String stdin, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), "dev.tern.server.cli.Main"));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "out", ".txt"), err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        if (stdin == null) pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        if (stdin != null) {
            try (var in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("tern %s finished", String.join(" ", args)).isTrue();
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void produceAThousandLinesAndConsumeThemBackInOrderPerQueue() throws Exception {
        assertThat(tern(null, "topic", "create", "lines", "--queues", "4", "--server", server).exit()).isZero();
        String input = IntStream.rangeClosed(1, 1000).mapToObj(Integer::toString).collect(Collectors.joining("\n", "", "\n"));
        Run produced = tern(input, "produce", "lines", "--server", server);
        assertThat(produced.exit()).as(produced.err()).isZero();

        Run consumed = tern(null, "consume", "lines", "--from", "earliest", "--max", "1000", "--json", "--server", server);
        assertThat(consumed.exit()).as(consumed.err()).isZero();
        List<String> lines = consumed.out().lines().toList();
        assertThat(lines).hasSize(1000);
        Map<Integer, List<Integer>> byQueue = new HashMap<>();
        for (String l : lines) {
            int queue = Integer.parseInt(l.replaceAll(".*\"queue\":(\\d+).*", "$1"));
            int body = Integer.parseInt(l.replaceAll(".*\"body\":\"(\\d+)\".*", "$1"));
            byQueue.computeIfAbsent(queue, q -> new ArrayList<>()).add(body);
        }
        assertThat(byQueue.values().stream().flatMap(List::stream).sorted().toList())
                .containsExactlyElementsOf(IntStream.rangeClosed(1, 1000).boxed().toList());
        byQueue.values().forEach(bodies -> assertThat(bodies).isSorted());
    }

    @Test
    void aGroupConsumesOnceAndShowsNoLag() throws Exception {
        tern(null, "topic", "create", "orders", "--queues", "2", "--server", server);
        assertThat(tern(null, "produce", "orders", "a", "b", "c", "--key", "k1", "--tag", "T", "--server", server).exit()).isZero();
        Run first = tern(null, "consume", "orders", "--group", "billing", "--from", "earliest", "--server", server);
        assertThat(first.out().lines().toList()).containsExactly("a", "b", "c");
        Run again = tern(null, "consume", "orders", "--group", "billing", "--from", "earliest", "--server", server);
        assertThat(again.out()).isEmpty();
        Run described = tern(null, "group", "describe", "billing", "--server", server);
        assertThat(described.out()).contains("total lag 0");
        assertThat(tern(null, "group", "list", "--server", server).out()).contains("billing");
        assertThat(tern(null, "topic", "list", "--server", server).out()).contains("orders\tqueues=2\tmessages=3");
    }

    @Test
    void delayedProducesArriveOnlyOnceDueAndBadDelaysAreRefused() throws Exception {
        tern(null, "topic", "create", "timed", "--queues", "1", "--server", server);
        long start = System.currentTimeMillis();
        assertThat(tern(null, "produce", "timed", "later", "--delay", "6s", "--server", server).exit()).isZero();
        // "at" is due 3 s before "later" whatever the time the second CLI takes to start (seconds, on a loaded machine)
        String at = java.time.Instant.ofEpochMilli(start + 3_000).toString();
        assertThat(tern(null, "produce", "timed", "at", "--deliver-at", at, "--server", server).exit()).isZero();
        Run consumed = tern(null, "consume", "timed", "--from", "earliest", "--follow", "--max", "2", "--json", "--server", server);
        assertThat(consumed.out().lines().map(l -> l.replaceAll(".*\"body\":\"(\\w+)\".*", "$1")).toList()).containsExactly("at", "later");
        Run tooFar = tern(null, "produce", "timed", "x", "--delay", "41d", "--server", server);
        assertThat(tooFar.exit()).isNotZero();
        assertThat(tooFar.err()).contains("INVALID_ARGUMENT").contains("delay.max.ms");
        Run garbled = tern(null, "produce", "timed", "x", "--delay", "soon", "--server", server);
        assertThat(garbled.err()).contains("--delay");
        assertThat(tern(null, "consume", "timed", "--from", "earliest", "--server", server).out().lines().toList()).containsExactly("at", "later");
    }

    @Test
    void consumeWithASqlConditionPrintsOnlyMatchingMessages() throws Exception {
        tern(null, "topic", "create", "props", "--queues", "1", "--server", server);
        tern(null, "produce", "props", "cheap", "--property", "price=5", "--server", server);
        tern(null, "produce", "props", "dear", "--property", "price=50", "--tag", "T", "--server", server);
        Run consumed = tern(null, "consume", "props", "--from", "earliest", "--sql", "price > 10", "--server", server);
        assertThat(consumed.out().lines().toList()).containsExactly("dear");
        Run grouped = tern(null, "consume", "props", "--group", "g", "--from", "earliest", "--filter", "T", "--sql", "price > 10", "--server", server);
        assertThat(grouped.out().lines().toList()).containsExactly("dear");
        Run bad = tern(null, "consume", "props", "--group", "g2", "--sql", "price >", "--server", server);
        assertThat(bad.exit()).isNotZero();
        assertThat(bad.err()).contains("INVALID_ARGUMENT").contains("position 7");
    }

    @Test
    void popWithFifoGivesEachGroupInOrder() throws Exception {
        tern(null, "topic", "create", "orders", "--queues", "2", "--server", server);
        for (int i = 1; i <= 3; i++) {
            assertThat(tern(null, "produce", "orders", "--fifo-group", "A", "a" + i, "--server", server).exit()).isZero();
            assertThat(tern(null, "produce", "orders", "--fifo-group", "B", "b" + i, "--server", server).exit()).isZero();
        }
        Run popped = tern(null, "pop", "orders", "--group", "f", "--fifo", "--server", server);
        assertThat(popped.exit()).as(popped.err()).isZero();
        List<String> lines = popped.out().lines().toList();
        assertThat(lines.stream().filter(l -> l.startsWith("a")).toList()).containsExactly("a1", "a2", "a3");
        assertThat(lines.stream().filter(l -> l.startsWith("b")).toList()).containsExactly("b1", "b2", "b3");
        Run json = tern(null, "consume", "orders", "--from", "earliest", "--json", "--server", server);
        assertThat(json.out()).contains("tern.fifo.group");
    }

    @Test
    void popFollowWaitsForNewMessagesAndStopsAtMax() throws Exception {
        tern(null, "topic", "create", "feed", "--queues", "3", "--server", server);
        tern(null, "produce", "feed", "first", "--server", server);
        CompletableFuture<Run> follow = CompletableFuture.supplyAsync(() -> {
            try {
                return tern(null, "pop", "feed", "--group", "tail", "--follow", "--max", "3", "--wait", "1s", "--server", server);
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
        // the first message is taken, and the follower's long-polling pop waits for more
        await().atMost(Duration.ofSeconds(60)).until(() -> node.engine().acks().waitingPops() == 1);
        tern(null, "produce", "feed", "second", "third", "--server", server);
        Run r = follow.get(120, TimeUnit.SECONDS);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().lines().toList()).containsExactlyInAnyOrder("first", "second", "third");
        assertThat(r.err()).contains("acked 3 message(s)");
        assertThat(tern(null, "pop", "feed", "--group", "tail", "--server", server).out()).as("all three were acked").isBlank();
    }

    @Test
    void popNackUntilDeadThenListAndRedriveTheDeadLetters() throws Exception {
        tern(null, "topic", "create", "work", "--queues", "1", "--server", server);
        tern(null, "produce", "work", "job-1", "--server", server);
        // the node of this test runs with ack.max.attempts=2 and ack.retry.backoff.ms=50
        assertThat(tern(null, "pop", "work", "--group", "w", "--nack", "--server", server).out().lines().toList()).containsExactly("job-1");
        Run second = null;
        for (int i = 0; i < 100 && (second == null || second.out().isBlank()); i++) {
            Thread.sleep(100);
            second = tern(null, "pop", "work", "--group", "w", "--nack", "--json", "--server", server);
        }
        assertThat(second.out()).contains("\"attempt\":2");
        Run listed = null;
        for (int i = 0; i < 100 && (listed == null || listed.out().isBlank()); i++) {
            Thread.sleep(100);
            listed = tern(null, "dlq", "list", "w", "--server", server);
        }
        assertThat(listed.out().strip()).isEqualTo("job-1\twork/0@0\tattempts=2");
        assertThat(tern(null, "dlq", "redrive", "w", "--server", server).exit()).isZero();
        assertThat(tern(null, "dlq", "redrive", "w", "--server", server).err()).contains("re-drove 0");
        Run all = tern(null, "consume", "work", "--from", "earliest", "--server", server);
        assertThat(all.out().lines().toList()).containsExactly("job-1", "job-1");
    }

    @Test
    void transactionalProducesStayInvisibleUntilCommittedAndOperatorsEndThemByHand() throws Exception {
        tern(null, "topic", "create", "pay", "--queues", "1", "--server", server);
        assertThat(tern(null, "produce", "pay", "a", "--transaction", "commit", "--server", server).exit()).isZero();
        assertThat(tern(null, "produce", "pay", "b", "--transaction", "rollback", "--server", server).exit()).isZero();
        Run pending = tern(null, "produce", "pay", "c", "--transaction", "unknown", "--producer-group", "billing", "--server", server);
        assertThat(pending.exit()).as(pending.err()).isZero();
        String id = pending.out().strip().split("\t")[0];
        assertThat(pending.out().strip()).isEqualTo(id + "\tunknown");

        Run listed = tern(null, "txn", "list", "--group", "billing", "--server", server);
        assertThat(listed.out().strip()).startsWith(id + "\tbilling\tpay/0\t").contains("checks=0\tprepared\tmessages=1\tc");
        assertThat(tern(null, "consume", "pay", "--from", "earliest", "--server", server).out().lines().toList()).containsExactly("a");

        Run committed = tern(null, "txn", "commit", id, "--server", server);
        assertThat(committed.exit()).as(committed.err()).isZero();
        assertThat(committed.out().strip()).startsWith("pay\t0\t1\t");
        assertThat(tern(null, "consume", "pay", "--from", "earliest", "--server", server).out().lines().toList()).containsExactly("a", "c");
        assertThat(tern(null, "txn", "list", "--server", server).out()).isEmpty();
        Run wrongWay = tern(null, "txn", "rollback", id, "--server", server);
        assertThat(wrongWay.exit()).isNotZero();
        assertThat(wrongWay.err()).contains("TRANSACTION_NOT_FOUND").contains("committed by its producer");
        Run both = tern(null, "produce", "pay", "x", "--transaction", "commit", "--idempotent", "--server", server);
        assertThat(both.exit()).isNotZero();
        assertThat(both.err()).contains("--idempotent and --transaction");
    }

    @Test
    void errorsAreOneLineOnStderrWithANonZeroExit() throws Exception {
        Run missing = tern(null, "produce", "nope", "x", "--server", server);
        assertThat(missing.exit()).isNotZero();
        assertThat(missing.err().strip().lines().toList()).hasSize(1).first().asString().contains("TOPIC_NOT_FOUND").contains("nope");
        Run badName = tern(null, "topic", "create", "bad/name", "--server", server);
        assertThat(badName.exit()).isNotZero();
        assertThat(badName.err()).contains("INVALID_ARGUMENT");
        Run noServer = tern(null, "topic", "list", "--server", "127.0.0.1:1");
        assertThat(noServer.exit()).isNotZero();
        assertThat(noServer.err()).contains("CONNECTION");
    }

    @Test
    void metricsAnswerInThePrometheusFormat() throws Exception {
        tern(null, "topic", "create", "m", "--server", server);
        tern(null, "produce", "m", "one", "two", "--server", server);
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("tern_messages_sent_total{topic=\"m\"} 2.0").contains("tern_topic_messages{topic=\"m\"} 2.0")
                .containsPattern("tern_topic_bytes\\{topic=\"m\"} [1-9]")
                .contains("tern_send_latency_seconds_bucket").contains("tern_pop_waiting 0.0");
        tern(null, "produce", "m", "three", "--transaction", "rollback", "--server", server);
        String after = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(after).contains("tern_txn_prepared_total{topic=\"m\"} 1.0")
                .contains("tern_txn_ended_total{by=\"producer\",outcome=\"rollback\",topic=\"m\"} 1.0");
    }
}
