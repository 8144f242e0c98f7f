package dev.tern.gateway.mqtt;

import dev.tern.store.api.Durability;
import dev.tern.testsupport.Await;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exactly once across a node restart: a QoS 2 PUBLISH answered with PUBREC, the node stopped without saving its
 * sessions, restarted, the PUBLISH sent again (DUP, same packet id): PUBREC, PUBREL, PUBCOMP, and one stored copy.
 */
@Timeout(60)
class Qos2RestartTest {
    private static final int PUBREC = 5, PUBCOMP = 7;

    @TempDir
    Path dir;
    private GatewayFixture node;

    @AfterEach
    void tearDown() {
        if (node != null) node.close();
    }

    private void startSync() {
        node = new GatewayFixture(dir, MqttGatewayConfig.ephemeral().withPorts(0, -1).withDurability(Durability.SYNC));
    }

    @ParameterizedTest(name = "MQTT version {0}")
    @ValueSource(ints = {4, 5})
    void aQos2PublishSentAgainAfterARestartIsStoredOnce(int version) throws IOException {
        startSync();
        RawMqtt before = connect(version, "q2-" + version, false);
        before.send(publish(version, 7, "first", false));
        expect(before.read(), PUBREC, 7);
        // the node goes down with the client's PUBREL not yet sent: its session is never saved
        node.crashAndRestart();
        before.close();

        try (RawMqtt after = connect(version, "q2-" + version, true)) {
            after.send(publish(version, 7, "first", true));
            expect(after.read(), PUBREC, 7);
            after.send(pubRel(7));
            expect(after.read(), PUBCOMP, 7);
            // released: the id is free for a new message
            after.send(publish(version, 7, "second", false));
            expect(after.read(), PUBREC, 7);
            after.send(pubRel(7));
            expect(after.read(), PUBCOMP, 7);
        }
        assertThat(StoredMessages.bodies(node.engine(), "once")).containsExactly("first", "second");

        // the release was recorded too: after another restart the same id is a new message again (the session itself
        // is present or not, as its save at the end of the last connection did or did not come before the crash)
        node.crashAndRestart();
        try (RawMqtt again = connect(version, "q2-" + version, null, false)) {
            again.send(publish(version, 7, "third", false));
            expect(again.read(), PUBREC, 7);
            again.send(pubRel(7));
            expect(again.read(), PUBCOMP, 7);
        }
        assertThat(StoredMessages.bodies(node.engine(), "once")).containsExactly("first", "second", "third");
    }

    @Test
    void aCleanSessionForgetsItsQos2IdsInTheStore() throws IOException {
        startSync();
        try (RawMqtt c = connect(4, "q2-clean", false)) {
            c.send(publish(4, 9, "kept", false));
            expect(c.read(), PUBREC, 9);
        }
        // clean session: the saved session and its id awaiting release go; a PUBLISH with the id is a new message
        try (RawMqtt c = connect(4, "q2-clean", false, true)) {
            c.send(publish(4, 9, "new", false));
            expect(c.read(), PUBREC, 9);
        }
        // nothing of the first session is left to come back after a restart
        node.crashAndRestart();
        try (RawMqtt c = connect(4, "q2-clean", false)) {
            c.send(publish(4, 9, "newer", false));
            expect(c.read(), PUBREC, 9);
        }
        assertThat(StoredMessages.bodies(node.engine(), "once")).containsExactly("kept", "new", "newer");
    }

    /**
     * The same with Paho's client: its PUBREC is lost on the way (a relay throws the gateway's replies away),
     * the node stops without saving sessions and restarts, Paho reconnects and sends the PUBLISH again with DUP
     * and the same packet id, as its persistent session requires; the delivery completes with one stored copy.
     */
    @Test
    void pahoSendsItsQos2PublishAgainAfterARestartAndItIsStoredOnce() throws Exception {
        startSync();
        try (CutProxy proxy = new CutProxy(node.port())) {
            MqttAsyncClient client = new MqttAsyncClient("tcp://127.0.0.1:" + proxy.port(), "paho-q2", new MemoryPersistence());
            MqttConnectOptions options = Paho3.options(false);
            try {
                client.connect(options).waitForCompletion(10_000);
                proxy.dropReplies(true);
                IMqttDeliveryToken token = client.publish("once/paho", "exactly".getBytes(StandardCharsets.UTF_8), 2, false);
                // stored, its id recorded, and the PUBREC (4 bytes) sent and lost
                Await.await().until(() -> proxy.dropped() >= 4);
                assertThat(StoredMessages.bodies(node.engine(), "once")).containsExactly("exactly");
                node.crashAndRestart();
                Await.await().until(() -> !client.isConnected());
                proxy.dropReplies(false);
                client.connect(options).waitForCompletion(10_000);
                Await.await().until(token::isComplete);
                assertThat(token.getException()).isNull();
                assertThat(StoredMessages.bodies(node.engine(), "once")).containsExactly("exactly");
            } finally {
                if (client.isConnected()) client.disconnect(2000).waitForCompletion(5000);
                client.close(true);
            }
        }
    }

    private RawMqtt connect(int version, String clientId, boolean present) throws IOException {
        return connect(version, clientId, present, false);
    }

    /** Connects with a persistent session ({@code clean} false) and checks CONNACK's session-present flag (unless null). */
    private RawMqtt connect(int version, String clientId, Boolean present, boolean clean) throws IOException {
        RawMqtt c = RawMqtt.connected(node.port(), version, clientId, clean);
        if (present != null) assertThat(c.sessionPresent).as("session present").isEqualTo(present);
        return c;
    }

    private static byte[] publish(int version, int id, String body, boolean dup) {
        byte[] p = RawMqtt.publish(version, "once/q2".getBytes(StandardCharsets.UTF_8), 2, id, new byte[0], body);
        if (dup) p[0] |= 0x08;
        return p;
    }

    private static byte[] pubRel(int id) {
        return RawMqtt.packet(0x62, new byte[] {(byte) (id >> 8), (byte) id});
    }

    /** A PUBREC or PUBCOMP for {@code id} with success (5.0: no reason code, or 0x00). */
    private static void expect(RawMqtt.Packet p, int type, int id) {
        assertThat(p.type()).isEqualTo(type);
        assertThat(((p.body()[0] & 0xff) << 8) | (p.body()[1] & 0xff)).isEqualTo(id);
        if (p.body().length > 2) assertThat(p.body()[2]).as("reason code").isEqualTo((byte) 0);
    }
}
