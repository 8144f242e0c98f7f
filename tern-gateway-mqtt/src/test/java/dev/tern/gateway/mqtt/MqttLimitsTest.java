package dev.tern.gateway.mqtt;

import dev.tern.store.api.Durability;
import dev.tern.testsupport.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a client may make the gateway create and keep: each limit reached, refused explicitly, the rest unharmed. */
@Timeout(60)
class MqttLimitsTest {
    private static final int PUBACK = 4, PUBREC = 5, SUBACK = 9, DISCONNECT = 14;
    private static final byte QUOTA_EXCEEDED = (byte) 0x97, TOPIC_NAME_INVALID = (byte) 0x90;

    @TempDir
    Path dir;
    private GatewayFixture node;

    @AfterEach
    void tearDown() {
        if (node != null) node.close();
    }

    private static MqttGatewayConfig config(MqttLimits limits) {
        return MqttGatewayConfig.ephemeral().withPorts(0, -1).withLimits(limits);
    }

    @Test
    void retainedMessagesAreBoundedByCountAndBytesAndRefusedOnesAreNotStored() throws IOException {
        node = new GatewayFixture(dir, config(new MqttLimits(true, 3, 1000, 1000, 100)));
        try (RawMqtt c = connect(5, "retainer")) {
            for (int i = 1; i <= 3; i++) assertThat(publish(c, 5, "ret/" + i, 1, i, true, "v" + i).body()[2]).isEqualTo((byte) 0);
            RawMqtt.Packet refused = publish(c, 5, "ret/4", 1, 4, true, "v4");
            assertThat(refused.body()[2]).isEqualTo(QUOTA_EXCEEDED);
            assertThat(text(refused)).contains("mqtt.retained.max.count").contains("LIMIT_EXCEEDED");
            // replacing a kept name takes no new room; a QoS 2 refusal comes in the PUBREC; a non-retained publish is unaffected
            assertThat(publish(c, 5, "ret/1", 1, 5, true, "v1b").body()[2]).isEqualTo((byte) 0);
            assertThat(publish(c, 5, "ret/5", 2, 6, true, "v5").body()[2]).isEqualTo(QUOTA_EXCEEDED);
            assertThat(publish(c, 5, "ret/5", 1, 7, false, "plain").body()[2]).isEqualTo((byte) 0);
            // an empty retained payload deletes an entry and frees its room
            assertThat(publish(c, 5, "ret/2", 1, 8, true, "").body()[2]).isEqualTo((byte) 0);
            assertThat(publish(c, 5, "ret/4", 1, 9, true, "v4").body()[2]).isEqualTo((byte) 0);
            // bytes: payload and name count against 1000
            RawMqtt.Packet tooBig = publish(c, 5, "ret/3", 1, 10, true, "x".repeat(990));
            assertThat(tooBig.body()[2]).isEqualTo(QUOTA_EXCEEDED);
            assertThat(text(tooBig)).contains("mqtt.retained.max.bytes");
        }
        assertThat(StoredMessages.bodies(node.engine(), "ret")).as("refused publishes are not stored")
                .containsExactlyInAnyOrder("v1", "v2", "v3", "v1b", "plain", "", "v4");
        assertThat(node.gateway().stats().retained()).isEqualTo(3);
        assertThat(node.gateway().stats().retainedRefused()).isEqualTo(3);
        // 3.1.1 has no negative acknowledgement: the connection is closed, and the message was not taken
        try (RawMqtt c = connect(4, "retainer-311")) {
            byte[] retained = RawMqtt.publish(4, "ret/6".getBytes(StandardCharsets.UTF_8), 1, 1, new byte[0], "v6");
            retained[0] |= 0x01;
            c.send(retained);
            assertClosed(c);
        }
        assertThat(node.gateway().stats().retainedRefused()).isEqualTo(4);
        // what was kept survives a restart, limits included
        node.restart();
        assertThat(node.gateway().stats().retained()).isEqualTo(3);
        try (RawMqtt c = connect(5, "retainer")) {
            assertThat(publish(c, 5, "ret/7", 1, 1, true, "v7").body()[2]).isEqualTo(QUOTA_EXCEEDED);
        }
    }

    @Test
    void retainedMessagesAreWrittenWithTheNodesDurabilityBeforeTheAcknowledgement() throws IOException {
        node = new GatewayFixture(dir, config(MqttLimits.defaults()).withDurability(Durability.SYNC));
        try (RawMqtt c = connect(5, "durable")) {
            assertThat(publish(c, 5, "dur/a", 1, 1, true, "kept").body()[2]).isEqualTo((byte) 0);
            // in the store (SYNC) by the time the PUBACK arrived
            assertThat(((FreezableMetadata) node.metadata()).written).contains("mqtt/retained/dur/a SYNC");
            assertThat(publish(c, 5, "dur/a", 2, 2, true, "").type()).isEqualTo(PUBREC);
            assertThat(((FreezableMetadata) node.metadata()).written).contains("mqtt/retained/dur/a SYNC");
        }
    }

    @Test
    void withoutAutoCreationAPublishOrSubscriptionToAMissingTopicIsRefused() throws Exception {
        node = new GatewayFixture(dir, config(new MqttLimits(false, 100, 1 << 20, 1000, 100)));
        node.engine().topics().create("known", 2, java.util.Map.of()).get();
        try (RawMqtt c = connect(5, "no-create")) {
            RawMqtt.Packet refused = publish(c, 5, "unknown/a", 1, 1, false, "x");
            assertThat(refused.body()[2]).isEqualTo(TOPIC_NAME_INVALID);
            assertThat(text(refused)).contains("mqtt.topic.auto.create");
            assertThat(publish(c, 5, "known/a", 1, 2, false, "y").body()[2]).isEqualTo((byte) 0);
            c.send(RawMqtt.subscribe(5, 3, "unknown/#", 1, 0));
            RawMqtt.Packet suback = c.read();
            assertThat(suback.type()).isEqualTo(SUBACK);
            assertThat(suback.body()[suback.body().length - 1]).isEqualTo((byte) 0x8F);
        }
        try (RawMqtt c = connect(4, "no-create-311")) {
            c.send(RawMqtt.subscribe(4, 1, "unknown/#", 1, 0));
            RawMqtt.Packet suback = c.read();
            assertThat(suback.body()[suback.body().length - 1]).isEqualTo((byte) 0x80);
            c.send(RawMqtt.publish(4, "unknown/b".getBytes(StandardCharsets.UTF_8), 1, 2, new byte[0], "z"));
            assertClosed(c);
        }
        assertThat(node.engine().topics().describe("unknown").get()).isEmpty();
        assertThat(node.gateway().stats().topicsRefused()).isEqualTo(4);
    }

    @Test
    void aTopicTheEngineRefusesToCreateIsRefusedWithQuotaExceeded() throws Exception {
        node = new GatewayFixture(dir, config(MqttLimits.defaults()), e -> new TopicLimitEngine(e, 2));
        try (RawMqtt c = connect(5, "creator")) {
            assertThat(publish(c, 5, "first/a", 1, 1, false, "1").body()[2]).isEqualTo((byte) 0);
            assertThat(publish(c, 5, "second/a", 2, 2, false, "2").body()[2]).isEqualTo((byte) 0);
            RawMqtt.Packet refused = publish(c, 5, "third/a", 1, 3, false, "3");
            assertThat(refused.body()[2]).isEqualTo(QUOTA_EXCEEDED);
            assertThat(text(refused)).contains("topic.max.count");
            c.send(RawMqtt.subscribe(5, 4, "fourth/+", 1, 0));
            RawMqtt.Packet suback = c.read();
            assertThat(suback.body()[suback.body().length - 1]).isEqualTo(QUOTA_EXCEEDED);
            assertThat(text(suback)).contains("topic.max.count");
            // existing topics go on working
            assertThat(publish(c, 5, "first/b", 1, 5, false, "4").body()[2]).isEqualTo((byte) 0);
        }
        assertThat(node.engine().topics().describe("third").get()).isEmpty();
    }

    @Test
    void aSessionHoldsAtMostItsSubscriptions() throws IOException {
        node = new GatewayFixture(dir, config(new MqttLimits(true, 100, 1 << 20, 2, 100)));
        try (RawMqtt c = connect(5, "subscriber")) {
            assertThat(subscribe(c, 5, 1, "s/1")).isEqualTo((byte) 1);
            assertThat(subscribe(c, 5, 2, "s/2")).isEqualTo((byte) 1);
            assertThat(subscribe(c, 5, 3, "s/1")).as("the same filter again replaces it").isEqualTo((byte) 1);
            c.send(RawMqtt.subscribe(5, 4, "s/3", 1, 0));
            RawMqtt.Packet refused = c.read();
            assertThat(refused.body()[refused.body().length - 1]).isEqualTo(QUOTA_EXCEEDED);
            assertThat(text(refused)).contains("mqtt.max.subscriptions");
        }
        try (RawMqtt c = connect(4, "subscriber-311")) {
            subscribe(c, 4, 1, "s/1");
            subscribe(c, 4, 2, "s/2");
            assertThat(subscribe(c, 4, 3, "s/3")).isEqualTo((byte) 0x80);
        }
    }

    @Test
    void persistentSessionsAreBoundedAndAKeptOneMayAlwaysComeBack() throws IOException {
        node = new GatewayFixture(dir, config(new MqttLimits(true, 100, 1 << 20, 1000, 2)));
        RawMqtt.connected(node.port(), 4, "p1", false).close();
        RawMqtt.connected(node.port(), 5, "p2", false).close();
        Await.await().until(() -> savedSessions() == 2);
        assertRefused(5, "p3", 0x97);
        assertRefused(4, "p3", 0x03);
        // a kept session comes back; a clean session needs no room
        RawMqtt.connected(node.port(), 4, "p1", false).close();
        RawMqtt.connected(node.port(), 4, "c1", true).close();
        // p1 ends its session with a clean start: room for p3
        RawMqtt.connected(node.port(), 4, "p1", true).close();
        Await.await().until(() -> savedSessions() == 1);
        RawMqtt.connected(node.port(), 4, "p3", false).close();
        Await.await().until(() -> savedSessions() == 2);
        // after a restart the sessions in the store count
        node.restart();
        assertRefused(5, "p4", 0x97);
        RawMqtt.connected(node.port(), 5, "p2", false).close();
    }

    private void assertRefused(int version, String clientId, int code) throws IOException {
        try (RawMqtt c = new RawMqtt(node.port())) {
            c.send(RawMqtt.connect(version, clientId, 60, false));
            RawMqtt.Packet ack = c.read();
            assertThat(ack.body()[1] & 0xff).as("CONNACK code").isEqualTo(code);
            if (version == 5) assertThat(text(ack)).contains("mqtt.max.sessions");
            assertClosed(c);
        }
    }

    private int savedSessions() {
        return Await.result(node.metadata().scan("mqtt/session/".getBytes(StandardCharsets.UTF_8),
                "mqtt/session0".getBytes(StandardCharsets.UTF_8), 100)).size();
    }

    @Test
    void theReceiveMaximumCountsQos2UntilItsRelease() throws IOException {
        node = new GatewayFixture(dir, config(MqttLimits.defaults()).withLimits(4, 1 << 20, 3600, 2, 10_000));
        try (RawMqtt c = connect(5, "unreleased")) {
            assertThat(publish(c, 5, "rm/a", 2, 1, false, "1").type()).isEqualTo(PUBREC);
            assertThat(publish(c, 5, "rm/a", 2, 2, false, "2").type()).isEqualTo(PUBREC);
            // two QoS 2 not yet released: a third publish is over the receive maximum of 2
            c.send(RawMqtt.publish(5, "rm/a".getBytes(StandardCharsets.UTF_8), 1, 3, new byte[0], "3"));
            RawMqtt.Packet p = c.read();
            assertThat(p.type()).isEqualTo(DISCONNECT);
            assertThat(p.body()[0]).isEqualTo((byte) 0x93);
        }
    }

    private RawMqtt connect(int version, String clientId) throws IOException {
        return RawMqtt.connected(node.port(), version, clientId, true);
    }

    /** Publishes at QoS 1 or 2 and answers the PUBACK or PUBREC. */
    private static RawMqtt.Packet publish(RawMqtt c, int version, String topic, int qos, int id, boolean retain, String body) throws IOException {
        byte[] p = RawMqtt.publish(version, topic.getBytes(StandardCharsets.UTF_8), qos, id, new byte[0], body);
        if (retain) p[0] |= 0x01;
        c.send(p);
        RawMqtt.Packet ack = c.read();
        assertThat(ack.type()).isEqualTo(qos == 1 ? PUBACK : PUBREC);
        assertThat(((ack.body()[0] & 0xff) << 8) | (ack.body()[1] & 0xff)).isEqualTo(id);
        if (ack.body().length == 2) return new RawMqtt.Packet(ack.header(), new byte[] {ack.body()[0], ack.body()[1], 0});
        return ack;
    }

    /** SUBSCRIBE one filter at QoS 1; answers the SUBACK's code. */
    private static byte subscribe(RawMqtt c, int version, int id, String filter) throws IOException {
        c.send(RawMqtt.subscribe(version, id, filter, 1, 0));
        RawMqtt.Packet ack = c.read();
        assertThat(ack.type()).isEqualTo(SUBACK);
        return ack.body()[ack.body().length - 1];
    }

    private static String text(RawMqtt.Packet p) {
        return new String(p.body(), StandardCharsets.UTF_8);
    }

    private static void assertClosed(RawMqtt c) {
        assertThatThrownBy(c::read).isInstanceOfAny(EOFException.class, SocketException.class);
    }
}
