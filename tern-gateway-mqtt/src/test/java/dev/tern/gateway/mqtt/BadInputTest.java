package dev.tern.gateway.mqtt;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Protocol violations over raw sockets: each gets the response the specification requires (5.0: a
 * DISCONNECT with the reason code) and a closed connection, while a well-behaved client carries on.
 */
@Timeout(60)
class BadInputTest {
    private static final int DISCONNECT = 14;
    private static final int CONNACK = 2;

    @TempDir
    Path dir;
    private GatewayFixture node;
    private Paho3 bystander;
    private Paho3 publisher;

    @BeforeEach
    void start() throws Exception {
        node = new GatewayFixture(dir, MqttGatewayConfig.ephemeral().withLimits(4, 1024, 3600, 100, 1000));
        bystander = Paho3.connect(node.tcpUri(), "bystander", true);
        bystander.client.subscribe("ok/#", 1);
        publisher = Paho3.connect(node.tcpUri(), "publisher", true);
    }

    @AfterEach
    void stop() throws Exception {
        // other clients are unaffected: the bystander still gets what is published
        publisher.publish("ok/after", "still fine", 1, false);
        assertThat(bystander.next().body()).isEqualTo("still fine");
        bystander.close();
        publisher.close();
        node.close();
    }

    private RawMqtt connected(int version) throws Exception {
        RawMqtt c = new RawMqtt(node.port());
        c.send(RawMqtt.connect(version, "raw-" + version, 60));
        RawMqtt.Packet ack = c.read();
        assertThat(ack.type()).isEqualTo(CONNACK);
        assertThat(ack.body()[1]).as("connect accepted").isEqualTo((byte) 0);
        return c;
    }

    private static void expectDisconnect(RawMqtt c, int reason) throws Exception {
        RawMqtt.Packet p = c.read();
        assertThat(p.type()).isEqualTo(DISCONNECT);
        assertThat(p.body()[0] & 0xff).isEqualTo(reason);
        assertThat(c.closedByServer()).isTrue();
    }

    @Test
    void secondConnectIsAProtocolError() throws Exception {
        try (RawMqtt c = connected(5)) {
            c.send(RawMqtt.connect(5, "raw-5", 60));
            expectDisconnect(c, 0x82);
        }
        try (RawMqtt c = connected(4)) {
            c.send(RawMqtt.connect(4, "raw-4", 60));
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void subscribeBeforeConnectClosesWithoutAReply() throws Exception {
        try (RawMqtt c = new RawMqtt(node.port())) {
            c.send(RawMqtt.subscribe(4, "a/#", 1));
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void invalidUtf8TopicIsAMalformedPacket() throws Exception {
        try (RawMqtt c = connected(5)) {
            c.send(RawMqtt.publish(5, new byte[]{'o', 'k', '/', (byte) 0xC3, (byte) 0x28}, 1, new byte[0], "x"));
            expectDisconnect(c, 0x81);
        }
        try (RawMqtt c = connected(4)) {
            c.send(RawMqtt.publish(4, new byte[]{'o', 'k', '/', (byte) 0xFF}, 0, new byte[0], "x"));
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void wildcardInAPublishTopicIsAnInvalidTopicName() throws Exception {
        try (RawMqtt c = connected(5)) {
            c.send(RawMqtt.publish(5, "ok/+".getBytes(StandardCharsets.UTF_8), 1, new byte[0], "x"));
            expectDisconnect(c, 0x90);
        }
        try (RawMqtt c = connected(4)) {
            c.send(RawMqtt.publish(4, "ok/#".getBytes(StandardCharsets.UTF_8), 1, new byte[0], "x"));
            assertThat(c.closedByServer()).isTrue();
        }
        assertThat(bystander.poll(200)).as("nothing was stored").isNull();
    }

    @Test
    void packetOverTheMaximumSizeIsRefused() throws Exception {
        try (RawMqtt c = connected(5)) {
            c.send(RawMqtt.publish(5, "ok/big".getBytes(StandardCharsets.UTF_8), 1, new byte[0], "x".repeat(4000)));
            expectDisconnect(c, 0x95);
        }
        assertThat(bystander.poll(200)).isNull();
    }

    @Test
    void qos3IsAMalformedPacket() throws Exception {
        try (RawMqtt c = connected(5)) {
            c.send(RawMqtt.publish(5, "ok/q".getBytes(StandardCharsets.UTF_8), 3, new byte[0], "x"));
            expectDisconnect(c, 0x81);
        }
        try (RawMqtt c = connected(4)) {
            c.send(RawMqtt.publish(4, "ok/q".getBytes(StandardCharsets.UTF_8), 3, new byte[0], "x"));
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void topicAliasesResolveAndABadAliasIsRefused() throws Exception {
        try (RawMqtt c = connected(5)) {
            byte[] alias1 = {0x23, 0, 1}; // topic alias = 1
            c.send(RawMqtt.publish(5, "ok/aliased".getBytes(StandardCharsets.UTF_8), 0, alias1, "first"));
            c.send(RawMqtt.publish(5, new byte[0], 0, alias1, "second"));
            assertThat(bystander.next().topic()).isEqualTo("ok/aliased");
            Paho3.Received second = bystander.next();
            assertThat(second.topic()).isEqualTo("ok/aliased");
            assertThat(second.body()).isEqualTo("second");
            c.send(RawMqtt.publish(5, "ok/x".getBytes(StandardCharsets.UTF_8), 0, new byte[]{0x23, 0, 0}, "alias 0"));
            expectDisconnect(c, 0x94);
        }
    }

    @Test
    void silentClientIsDisconnectedAfterOneAndAHalfKeepAlives() throws Exception {
        try (RawMqtt c = new RawMqtt(node.port())) {
            c.send(RawMqtt.connect(5, "sleepy", 1));
            assertThat(c.read().type()).isEqualTo(CONNACK);
            expectDisconnect(c, 0x8D);
        }
    }

    @Test
    void delayedWillIsPublishedAfterItsDelayUnlessTheClientComesBack() throws Exception {
        bystander.client.subscribe("wills/#", 1);
        try (RawMqtt c = new RawMqtt(node.port())) {
            c.send(RawMqtt.connectWithWill("w1", "wills/w1", "late", 1, 300));
            assertThat(c.read().type()).isEqualTo(CONNACK);
        }
        long closedAt = System.nanoTime();
        Paho3.Received will = bystander.next();
        assertThat(will.topic()).isEqualTo("wills/w1");
        assertThat(System.nanoTime() - closedAt).isGreaterThan(500_000_000L);
        try (RawMqtt c = new RawMqtt(node.port())) {
            c.send(RawMqtt.connectWithWill("w2", "wills/w2", "cancelled", 1, 300));
            assertThat(c.read().type()).isEqualTo(CONNACK);
        }
        RawMqtt again = new RawMqtt(node.port());
        again.send(RawMqtt.connect(5, "w2", 60));
        assertThat(again.read().type()).isEqualTo(CONNACK);
        assertThat(bystander.poll(1800)).as("the reconnect cancelled the delayed will").isNull();
        again.close();
    }

    @Test
    void aWillWaitsNoLongerThanItsSession() throws Exception {
        bystander.client.subscribe("wills/#", 1);
        // session expiry 0: the session ends with the connection, and the will with a 60 s delay goes then
        try (RawMqtt c = new RawMqtt(node.port())) {
            c.send(RawMqtt.connectWithWill("w3", "wills/w3", "now", 60, 0));
            assertThat(c.read().type()).isEqualTo(CONNACK);
        }
        assertThat(bystander.next().topic()).isEqualTo("wills/w3");
    }

    @Test
    void unsupportedProtocolVersionGetsConnack() throws Exception {
        try (RawMqtt c = new RawMqtt(node.port())) {
            c.send(RawMqtt.connect(9, "v9", 60));
            RawMqtt.Packet ack = c.read();
            assertThat(ack.type()).isEqualTo(CONNACK);
            assertThat(ack.body()[1]).isEqualTo((byte) 0x01);
            assertThat(c.closedByServer()).isTrue();
        }
    }
}
