package dev.tern.gateway.mqtt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seeded random bytes after a valid CONNECT (mutated valid packets and plain noise): the gateway never
 * falls over, and a well-behaved client keeps working throughout. A failing seed is printed.
 */
@Timeout(120)
class FuzzInputTest {
    private static final int ROUNDS = 300;

    @TempDir
    Path dir;

    @Test
    void randomPacketsNeverHurtTheGatewayOrOtherClients() throws Exception {
        try (GatewayFixture node = new GatewayFixture(dir, MqttGatewayConfig.ephemeral().withLimits(4, 4096, 3600, 100, 1000));
             Paho3 watcher = Paho3.connect(node.tcpUri(), "watcher", true);
             Paho3 pub = Paho3.connect(node.tcpUri(), "pub", true)) {
            // a topic the fuzzer never writes: a fuzzed publish with control characters in its name (valid
            // MQTT, refused by Paho) must not reach the watcher and kill its client thread
            watcher.client.subscribe("check/#", 1);
            Random seeds = new Random(20261125L);
            for (int round = 0; round < ROUNDS; round++) {
                long seed = seeds.nextLong();
                try {
                    fuzzOnce(node.port(), new Random(seed));
                } catch (IOException expected) {
                    // the gateway closing on us is a fine answer
                }
                if (round % 50 == 49) {
                    pub.publish("check/fz", "round " + round, 1, false);
                    // fuzzed publishes that happened to be valid arrive too: skip them
                    Paho3.Received r;
                    do {
                        r = watcher.next();
                    } while (!r.topic().equals("check/fz"));
                    assertThat(r.body()).as("seed %d", seed).isEqualTo("round " + round);
                }
            }
        }
    }

    private static void fuzzOnce(int port, Random r) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20);
            int version = r.nextBoolean() ? 4 : 5;
            s.getOutputStream().write(RawMqtt.connect(version, "fz" + r.nextInt(1000), 30));
            for (int i = 0; i < 1 + r.nextInt(4); i++) s.getOutputStream().write(packet(r, version));
            s.getOutputStream().flush();
            try {
                s.getInputStream().read(new byte[4096]);
            } catch (java.net.SocketTimeoutException ignored) {
                // nothing to read yet
            }
        }
    }

    private static byte[] packet(Random r, int version) {
        byte[] p = switch (r.nextInt(4)) {
            case 0 -> RawMqtt.publish(version, ("fz/" + r.nextInt(10)).getBytes(StandardCharsets.UTF_8), r.nextInt(3),
                    version == 5 ? new byte[]{0x23, 0, (byte) r.nextInt(3)} : new byte[0], "x".repeat(r.nextInt(50)));
            case 1 -> RawMqtt.subscribe(version, r.nextBoolean() ? "fz/+" : "#", r.nextInt(3));
            case 2 -> RawMqtt.packet(r.nextInt(256), randomBytes(r, r.nextInt(64)));
            default -> randomBytes(r, 1 + r.nextInt(64));
        };
        // flip a few bytes of the well-formed ones too
        for (int i = 0; i < r.nextInt(3); i++) p[r.nextInt(p.length)] = (byte) r.nextInt(256);
        return p;
    }

    private static byte[] randomBytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }
}
