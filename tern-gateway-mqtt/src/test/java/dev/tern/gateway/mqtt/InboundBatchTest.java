package dev.tern.gateway.mqtt;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.common.message.StoredMessage;
import dev.tern.engine.EngineConfig;
import dev.tern.engine.Engines;
import dev.tern.store.local.LocalStore;
import dev.tern.store.local.LocalStoreConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The publishes of one read are stored as engine batches (split by topic name and size): a client's order
 * survives the split, a QoS 1 PUBACK leaves only once its batch is stored, a failed store is reported.
 */
@Timeout(60)
class InboundBatchTest {
    private static final int PUBACK = 4;

    @TempDir
    Path dir;
    private LocalStore store;
    private GatedEngine engine;
    private MqttGateway gateway;

    @AfterEach
    void tearDown() {
        if (gateway != null) gateway.close();
        if (engine != null) engine.close();
        if (store != null) store.close();
    }

    private void start() {
        store = LocalStore.open(LocalStoreConfig.defaults(dir).withSegmentBytes(64L << 20));
        engine = new GatedEngine(Engines.create(store, EngineConfig.defaults()));
        gateway = new MqttGateway(engine, store.metadata(), MqttGatewayConfig.ephemeral()).start();
    }

    private RawMqtt connected(int version, String clientId) throws Exception {
        RawMqtt c = new RawMqtt(gateway.port());
        c.send(RawMqtt.connect(version, clientId, 60));
        assertThat(c.read().body()[1]).as("connect accepted").isEqualTo((byte) 0);
        return c;
    }

    private static byte[] topic(String name) {
        return name.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void orderOfAClientsPublishesSurvivesBatching() throws Exception {
        start();
        // one write: runs of two topic names (a batch ends at each switch), longer than one batch, QoS 0 and 1 mixed
        int total = 3000;
        ByteArrayOutputStream burst = new ByteArrayOutputStream();
        List<Integer> qos1Ids = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            String name = (i / 1100) % 2 == 0 ? "ord/a" : "ord/b";
            int qos = i % 50 == 0 ? 1 : 0;
            int id = i / 50 + 1;
            if (qos == 1) qos1Ids.add(id);
            burst.writeBytes(RawMqtt.publish(4, topic(name), qos, id, new byte[0], Integer.toString(i)));
        }
        try (RawMqtt c = connected(4, "batcher")) {
            c.send(burst.toByteArray());
            List<Integer> acked = new ArrayList<>();
            for (int i = 0; i < qos1Ids.size(); i++) {
                RawMqtt.Packet p = c.read();
                assertThat(p.type()).isEqualTo(PUBACK);
                acked.add(((p.body()[0] & 0xff) << 8) | (p.body()[1] & 0xff));
            }
            assertThat(acked).as("PUBACKs in the order of the publishes").isEqualTo(qos1Ids);
        }
        Map<String, List<Integer>> stored = storedBodies("ord");
        List<Integer> all = new ArrayList<>();
        stored.values().forEach(all::addAll);
        assertThat(all).hasSize(total);
        for (List<Integer> perName : stored.values()) assertThat(perName).as("stored in publish order").isSorted();
    }

    @Test
    void publishesPipelinedBehindConnectAreAllAcknowledged() throws Exception {
        start();
        engine.topics().create("early", 4, java.util.Map.of()).get(); // so the first send need not wait for the topic
        for (int round = 0; round < 20; round++) {
            ByteArrayOutputStream burst = new ByteArrayOutputStream();
            burst.writeBytes(RawMqtt.connect(4, "early-" + round, 60));
            for (int id = 1; id <= 100; id++) burst.writeBytes(RawMqtt.publish(4, topic("early/x"), 1, id, new byte[0], "m" + id));
            try (RawMqtt c = new RawMqtt(gateway.port())) {
                c.send(burst.toByteArray());
                assertThat(c.read().type()).as("CONNACK").isEqualTo(2);
                for (int id = 1; id <= 100; id++) {
                    RawMqtt.Packet p = c.read();
                    assertThat(p.type()).isEqualTo(PUBACK);
                    assertThat(((p.body()[0] & 0xff) << 8) | (p.body()[1] & 0xff)).isEqualTo(id);
                }
            }
        }
    }

    @Test
    void pubAckLeavesOnlyOnceTheStoreHasTheMessage() throws Exception {
        start();
        try (RawMqtt c = connected(4, "waiter")) {
            c.send(RawMqtt.publish(4, topic("held/x"), 1, 7, new byte[0], "first"));
            assertThat(c.read().type()).isEqualTo(PUBACK); // the topic exists now; the next send is held
            engine.hold();
            c.send(RawMqtt.publish(4, topic("held/x"), 1, 8, new byte[0], "second"));
            assertThat(c.readWithin(500)).as("no PUBACK while the store has not answered").isNull();
            engine.open();
            RawMqtt.Packet ack = c.read();
            assertThat(ack.type()).isEqualTo(PUBACK);
            assertThat(ack.body()[1]).isEqualTo((byte) 8);
        }
    }

    @Test
    void aFailedStoreIsReportedToThePublisher() throws Exception {
        start();
        engine.failWith(new TernException(ErrorCode.STORAGE_FULL, "disk full"));
        try (RawMqtt c = connected(5, "v5")) {
            c.send(RawMqtt.publish(5, topic("full/x"), 1, 9, new byte[0], "lost"));
            RawMqtt.Packet ack = c.read();
            assertThat(ack.type()).isEqualTo(PUBACK);
            assertThat(ack.body()[2] & 0xff).as("quota exceeded").isEqualTo(0x97);
        }
        try (RawMqtt c = connected(4, "v311")) {
            // 3.1.1 has no negative PUBACK: the connection is closed instead
            c.send(RawMqtt.publish(4, topic("full/x"), 1, 9, new byte[0], "lost"));
            assertThat(c.closedByServer()).isTrue();
        }
        try (RawMqtt c = connected(4, "qos0")) {
            // QoS 0 has no way to hear of it: the connection stays up
            c.send(RawMqtt.publish(4, topic("full/x"), 0, 0, new byte[0], "lost"));
            c.send(new byte[] {(byte) 0xC0, 0}); // PINGREQ
            assertThat(c.read().type()).isEqualTo(13);
        }
    }

    /** Bodies (as numbers) stored on Tern topic {@code topic}, by MQTT topic name, in queue order. */
    private Map<String, List<Integer>> storedBodies(String topic) {
        Map<String, List<Integer>> out = new HashMap<>();
        for (StoredMessage m : StoredMessages.all(engine, topic)) {
            out.computeIfAbsent(m.properties().get(TopicMapping.TOPIC), k -> new ArrayList<>())
                    .add(Integer.parseInt(new String(m.body(), StandardCharsets.UTF_8)));
        }
        return out;
    }
}
