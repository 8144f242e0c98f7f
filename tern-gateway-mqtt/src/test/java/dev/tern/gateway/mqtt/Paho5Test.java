package dev.tern.gateway.mqtt;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** MQTT 5.0 with the Eclipse Paho mqttv5 client: QoS 2, subscription identifiers, assigned ids. */
@Timeout(60)
class Paho5Test {
    @TempDir
    Path dir;
    private GatewayFixture node;

    @AfterEach
    void tearDown() {
        if (node != null) node.close();
    }

    private MqttClient client(String id, LinkedBlockingQueue<MqttMessage> inbox) throws MqttException {
        MqttClient c = new MqttClient(node.tcpUri(), id, new MemoryPersistence());
        c.setCallback(callback(inbox));
        return c;
    }

    private static MqttCallback callback(LinkedBlockingQueue<MqttMessage> inbox) {
        return new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse r) {
            }

            @Override
            public void mqttErrorOccurred(MqttException e) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                inbox.add(message);
            }

            @Override
            public void deliveryComplete(IMqttToken token) {
            }

            @Override
            public void connectComplete(boolean reconnect, String uri) {
            }

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {
            }
        };
    }

    @Test
    void qos2WithSubscriptionIdentifiers() throws Exception {
        node = new GatewayFixture(dir);
        LinkedBlockingQueue<MqttMessage> inbox = new LinkedBlockingQueue<>();
        MqttAsyncClient sub = new MqttAsyncClient(node.tcpUri(), "p5-sub", new MemoryPersistence());
        sub.setCallback(callback(inbox));
        sub.connect(new MqttConnectionOptions()).waitForCompletion(20_000);
        MqttProperties props = new MqttProperties();
        props.setSubscriptionIdentifier(7);
        sub.subscribe(new MqttSubscription[]{new MqttSubscription("meters/#", 2)}, null, null, props).waitForCompletion(20_000);
        MqttClient pub = client("p5-pub", new LinkedBlockingQueue<>());
        pub.connect();
        pub.publish("meters/m1", "42".getBytes(StandardCharsets.UTF_8), 2, false);
        MqttMessage m = inbox.poll(20, TimeUnit.SECONDS);
        assertThat(m).isNotNull();
        assertThat(new String(m.getPayload(), StandardCharsets.UTF_8)).isEqualTo("42");
        assertThat(m.getQos()).isEqualTo(2);
        assertThat(m.getProperties().getSubscriptionIdentifiers()).containsExactly(7);
        pub.disconnect();
        sub.disconnect().waitForCompletion(20_000);
        pub.close();
        sub.close();
    }

    @Test
    void emptyClientIdGetsOneAssigned() throws Exception {
        node = new GatewayFixture(dir);
        MqttClient c = client("", new LinkedBlockingQueue<>());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        IMqttToken t = c.connectWithResult(o);
        assertThat(t.getResponseProperties().getAssignedClientIdentifier()).startsWith("tern-");
        c.disconnect();
        c.close();
    }
}
