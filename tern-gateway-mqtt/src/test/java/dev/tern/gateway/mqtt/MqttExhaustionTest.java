package dev.tern.gateway.mqtt;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that creates what it can: a new first topic level per publish, or a new retained name per publish,
 * past the limits. Each run stops at its count: what the limit allowed is taken, the rest refused explicitly
 * (5.0 PUBACK 0x97), and the node stays up. Small by default; {@code scripts/mqtt-exhaustion.sh} runs the sizes of
 * issue 10 (100,000 first levels, 50,000 retained messages) against a 2 GiB heap and prints the heap figures.
 * Sizes: {@code -Dtern.exhaust.topics=N -Dtern.exhaust.topics.max=N -Dtern.exhaust.retained=N -Dtern.exhaust.retained.max=N}.
 */
@Timeout(900)
class MqttExhaustionTest {
    private static final int PUBACK = 4;
    /** Publishes sent before their PUBACKs are read (under the receive maximum of 100). */
    private static final int WINDOW = 64;

    @TempDir
    Path dir;
    private GatewayFixture node;

    @AfterEach
    void tearDown() {
        if (node != null) node.close();
    }

    @Test
    void newFirstLevelsStopAtTheTopicLimitWithAnExplicitRefusal() throws IOException {
        int total = Integer.getInteger("tern.exhaust.topics", 2_000);
        int max = Integer.getInteger("tern.exhaust.topics.max", 500);
        // the engine's topic limit (topic.max.count) stands at max
        node = new GatewayFixture(dir, MqttGatewayConfig.ephemeral().withPorts(0, -1), e -> new TopicLimitEngine(e, max));
        long start = System.nanoTime();
        Map<Integer, Integer> codes = publishAll(total, i -> "lvl" + i + "/x", false);
        report("first levels", total, start, codes);
        assertThat(codes).isEqualTo(expected(total, max));
        assertThat(node.gateway().stats().topicsRefused()).isEqualTo(total - Math.min(total, max));
    }

    @Test
    void retainedMessagesStopAtTheirLimitWithAnExplicitRefusal() throws IOException {
        int total = Integer.getInteger("tern.exhaust.retained", 2_000);
        int max = Integer.getInteger("tern.exhaust.retained.max", 1_500);
        node = new GatewayFixture(dir, MqttGatewayConfig.ephemeral().withPorts(0, -1)
                .withLimits(new MqttLimits(true, max, 1L << 30, 1_000, 100)));
        long start = System.nanoTime();
        Map<Integer, Integer> codes = publishAll(total, i -> "state/device-" + i, true);
        report("retained messages", total, start, codes);
        assertThat(codes).isEqualTo(expected(total, max));
        assertThat(node.gateway().stats().retained()).isEqualTo(Math.min(total, max));
        assertThat(node.gateway().stats().retainedRefused()).isEqualTo(total - Math.min(total, max));
    }

    /** PUBACK codes by count when {@code max} of {@code total} fit: success for those, 0x97 for the rest. */
    private static Map<Integer, Integer> expected(int total, int max) {
        Map<Integer, Integer> codes = new TreeMap<>();
        codes.put(0x00, Math.min(total, max));
        if (total > max) codes.put(0x97, total - max);
        return codes;
    }

    /** Publishes {@code total} QoS 1 messages of 256 bytes, {@link #WINDOW} at a time; answers the PUBACK codes by count. */
    private Map<Integer, Integer> publishAll(int total, java.util.function.IntFunction<String> topic, boolean retain) throws IOException {
        Map<Integer, Integer> codes = new TreeMap<>();
        String body = "x".repeat(256);
        try (RawMqtt c = RawMqtt.connected(node.port(), 5, "exhauster", true)) {
            for (int sent = 0; sent < total; ) {
                int n = Math.min(WINDOW, total - sent);
                ByteArrayOutputStream burst = new ByteArrayOutputStream();
                for (int i = 0; i < n; i++) {
                    byte[] p = RawMqtt.publish(5, topic.apply(sent + i).getBytes(StandardCharsets.UTF_8), 1, i + 1, new byte[0], body);
                    if (retain) p[0] |= 0x01;
                    burst.writeBytes(p);
                }
                c.send(burst.toByteArray());
                for (int i = 0; i < n; i++) {
                    RawMqtt.Packet ack = c.read();
                    assertThat(ack.type()).isEqualTo(PUBACK);
                    codes.merge(ack.body().length > 2 ? ack.body()[2] & 0xff : 0, 1, Integer::sum);
                }
                sent += n;
            }
        }
        return codes;
    }

    /** Prints the run's figures: PUBACK codes, time, heap in use after a GC and the peak of the heap pools. */
    private static void report(String what, int total, long start, Map<Integer, Integer> codes) {
        long ms = (System.nanoTime() - start) / 1_000_000;
        System.gc();
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long max = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax();
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) peak += pool.getPeakUsage().getUsed();
        }
        System.out.printf("EXHAUSTION %s: %d publishes in %d ms, PUBACK codes %s, heap after GC %d MiB, peak %d MiB, max %d MiB%n",
                what, total, ms, codes, used >> 20, peak >> 20, max >> 20);
    }
}
