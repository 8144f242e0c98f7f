package dev.tern.server.cli;

import dev.tern.common.message.Message;
import dev.tern.server.http.HttpEndpoint;
import dev.tern.server.node.NodeMetrics;
import dev.tern.store.api.Durability;
import dev.tern.store.api.TopicSpec;
import dev.tern.store.local.LocalStore;
import dev.tern.store.local.LocalStoreConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** {@code tern store repair} on a damaged data directory, as an operator runs it; and {@code /health} of a read-only store. */
class StoreRepairCommandTest {
    @TempDir
    Path dir;

    private record Result(int exit, String out, String err) {
    }

    private static Result tern(String... args) {
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            int exit = Main.run(args);
            return new Result(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void repairReportsTheFirstBadRecordThenCutsThereAndTheNodeStartsAgain() throws Exception {
        LocalStoreConfig cfg = LocalStoreConfig.defaults(dir).withSegmentBytes(64 * 1024).withMaxMessageBytes(8 * 1024).withVerifyLogOnOpen(true);
        try (LocalStore s = LocalStore.open(cfg)) {
            s.topics().create(new TopicSpec("t", 1)).join();
            for (int i = 0; i < 40; i++) s.log().append("t", 0, List.of(Message.of("m".repeat(3000) + i)), Durability.SYNC).join();
        }
        Result intact = tern("store", "repair", "--data-dir", dir.toString());
        assertThat(intact.exit()).isZero();
        assertThat(intact.out()).contains("commit log intact: 40 records");

        Path first = dir.resolve("log").resolve(String.format("%020d.log", 0));
        try (RandomAccessFile f = new RandomAccessFile(first.toFile(), "rw")) {
            f.seek(10_000);
            f.write(f.read() ^ 1);
        }
        assertThat(catchThrowable(() -> LocalStore.open(cfg))).hasMessageContaining(first.toString());
        Result damaged = tern("store", "repair", "--data-dir", dir.toString());
        assertThat(damaged.exit()).isEqualTo(1);
        assertThat(damaged.out()).contains("commit log damaged").contains(first.toString()).contains("records before it are intact");
        Matcher m = Pattern.compile("--truncate-at (\\d+)").matcher(damaged.out());
        assertThat(m.find()).isTrue();

        Result wrong = tern("store", "repair", "--data-dir", dir.toString(), "--truncate-at", Long.toString(Long.parseLong(m.group(1)) + 1));
        assertThat(wrong.exit()).isNotZero();
        assertThat(wrong.err()).contains("is not the start of a record");

        Result cut = tern("store", "repair", "--data-dir", dir.toString(), "--truncate-at", m.group(1));
        assertThat(cut.exit()).as(cut.err()).isZero();
        assertThat(cut.out()).contains("later segments moved to");
        assertThat(Files.list(dir.resolve("log-quarantine")).count()).isEqualTo(1);
        try (LocalStore s = LocalStore.open(cfg)) {
            assertThat(s.log().range("t", 0).join().nextOffset()).isBetween(1L, 4L);
        }
        assertThat(tern("store", "repair", "--data-dir", dir.toString()).exit()).isZero();
    }

    @Test
    void aRunningNodesDirectoryIsNotTouched() {
        try (LocalStore s = LocalStore.open(LocalStoreConfig.defaults(dir).withSegmentBytes(64 * 1024).withMaxMessageBytes(8 * 1024))) {
            Result r = tern("store", "repair", "--data-dir", dir.toString(), "--truncate-at", "0");
            assertThat(r.exit()).isNotZero();
            assertThat(r.err()).contains("stop the node first");
        }
    }

    @Test
    void healthAnswers503WithTheReasonWhenTheStoreIsReadOnly() throws Exception {
        String[] reason = {null};
        try (HttpEndpoint http = new HttpEndpoint("127.0.0.1", 0, new NodeMetrics(), () -> reason[0] == null
                ? new HttpEndpoint.Health(true, "ok") : new HttpEndpoint.Health(false, "read-only: " + reason[0]))) {
            HttpClient client = HttpClient.newHttpClient();
            HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + "/health")).build();
            assertThat(client.send(get, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            reason[0] = "fsync of the commit log: Input/output error";
            HttpResponse<String> r = client.send(get, HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.body()).contains("read-only: fsync of the commit log");
        }
    }
}
