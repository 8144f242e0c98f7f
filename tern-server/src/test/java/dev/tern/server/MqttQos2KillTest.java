package dev.tern.server;

import dev.tern.common.message.StoredMessage;
import dev.tern.engine.Engine;
import dev.tern.engine.EngineConfig;
import dev.tern.engine.Engines;
import dev.tern.engine.PullRequest;
import dev.tern.engine.PullResult;
import dev.tern.store.api.ReadResult;
import dev.tern.store.api.StoredRecord;
import dev.tern.store.local.LocalStore;
import dev.tern.store.local.LocalStoreConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.tern.testsupport.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node process under {@code store.flush=sync} killed with SIGKILL right after it answered a QoS 2 PUBLISH with
 * PUBREC (no session save, no clean close of anything); a new process on the same data directory; the client
 * sends the PUBLISH again (DUP, same packet id), then PUBREL: one copy is stored.
 */
@Timeout(180)
class MqttQos2KillTest {
    private static final Pattern MQTT_PORT = Pattern.compile("mqtt listening on [^:]+:(\\d+)");

    @TempDir
    Path dir;
    private Process node;

    @AfterEach
    void tearDown() throws InterruptedException {
        if (node != null && node.isAlive()) {
            node.destroyForcibly();
            node.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aQos2PublishSentAgainAfterSigkillIsStoredOnce() throws Exception {
        int port = startNode("first");
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            DataInputStream in = new DataInputStream(s.getInputStream());
            connect(s.getOutputStream(), in, false);
            s.getOutputStream().write(publish(5, "once", false));
            assertThat(readPacket(in)).as("PUBREC").startsWith(0x50, 0, 5);
            node.destroyForcibly(); // SIGKILL: the PUBREL never came, nothing was saved at an end
            assertThat(node.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        port = startNode("second");
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            DataInputStream in = new DataInputStream(s.getInputStream());
            connect(s.getOutputStream(), in, true);
            s.getOutputStream().write(publish(5, "once", true));
            assertThat(readPacket(in)).as("PUBREC to the PUBLISH sent again").startsWith(0x50, 0, 5);
            s.getOutputStream().write(new byte[] {0x62, 2, 0, 5}); // PUBREL
            assertThat(readPacket(in)).as("PUBCOMP").startsWith(0x70, 0, 5);
        }
        node.destroy(); // a clean stop, to read the store here
        assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(stored("k")).containsExactly("once");
    }

    /** Starts {@code tern server} on the data directory with sync flush and free ports; answers its MQTT port. */
    private int startNode(String name) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), "dev.tern.server.cli.Main",
                "server", "--data-dir", dir.resolve("data").toString(), "--set", "store.flush=sync", "--set", "native.port=0",
                "--set", "http.port=0", "--set", "mqtt.port=0", "--set", "mqtt.ws.port=-1"));
        Path log = dir.resolve(name + ".log");
        node = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        int[] port = {-1};
        await().atMost(Duration.ofSeconds(90)).until(() -> {
            Matcher m = MQTT_PORT.matcher(Files.readString(log));
            if (m.find()) port[0] = Integer.parseInt(m.group(1));
            return port[0] > 0 || !node.isAlive();
        });
        assertThat(node.isAlive()).as("node %s running (log: %s)", name, Files.readString(log)).isTrue();
        return port[0];
    }

    /** MQTT 3.1.1 CONNECT of a persistent session; checks CONNACK accepted and its session-present flag. */
    private static void connect(OutputStream out, DataInputStream in, boolean present) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        str(b, "MQTT");
        b.writeBytes(new byte[] {4, 0x00, 0, 60}); // level 4, clean session 0, keep-alive 60
        str(b, "killed");
        out.write(packet(0x10, b.toByteArray()));
        assertThat(readPacket(in)).as("CONNACK").containsExactly(0x20, present ? 1 : 0, 0);
    }

    private static byte[] publish(int id, String body, boolean dup) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        str(b, "k/q2");
        b.writeBytes(new byte[] {(byte) (id >> 8), (byte) id});
        b.writeBytes(body.getBytes(StandardCharsets.UTF_8));
        return packet(0x34 | (dup ? 0x08 : 0), b.toByteArray());
    }

    /** A packet read back: its first byte and body (as unsigned ints). */
    private static List<Integer> readPacket(DataInputStream in) throws IOException {
        List<Integer> p = new ArrayList<>();
        p.add(in.readUnsignedByte());
        int len = 0;
        for (int shift = 0; ; shift += 7) {
            int b = in.readUnsignedByte();
            len |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) break;
        }
        for (int i = 0; i < len; i++) p.add(in.readUnsignedByte());
        return p;
    }

    private static byte[] packet(int header, byte[] body) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(header);
        int len = body.length;
        do {
            int d = len & 0x7f;
            len >>= 7;
            b.write(len > 0 ? d | 0x80 : d);
        } while (len > 0);
        b.writeBytes(body);
        return b.toByteArray();
    }

    private static void str(ByteArrayOutputStream b, String s) {
        byte[] u = s.getBytes(StandardCharsets.UTF_8);
        b.write(u.length >> 8);
        b.write(u.length);
        b.writeBytes(u);
    }

    /** The bodies of Tern topic {@code topic}, read from the data directory once the node process is gone. */
    private List<String> stored(String topic) throws Exception {
        List<String> out = new ArrayList<>();
        try (LocalStore store = LocalStore.open(LocalStoreConfig.defaults(dir.resolve("data")));
             Engine engine = Engines.create(store, EngineConfig.defaults())) {
            int queues = engine.topics().describe(topic).get().orElseThrow().queues().size();
            for (int q = 0; q < queues; q++) {
                long offset = 0;
                while (true) {
                    try (PullResult r = engine.pull(new PullRequest(topic, q, offset, 1000, 16 << 20, Duration.ZERO, null)).get()) {
                        if (r.status() != ReadResult.Status.FOUND || r.records().isEmpty()) break;
                        for (StoredRecord rec : r.records()) {
                            StoredMessage m = rec.message();
                            out.add(new String(m.body(), StandardCharsets.UTF_8));
                        }
                        offset = r.nextOffset();
                    }
                }
            }
        }
        return out;
    }
}
