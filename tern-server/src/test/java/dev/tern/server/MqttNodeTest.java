package dev.tern.server;

import dev.tern.client.Consumer;
import dev.tern.client.ConsumerConfig;
import dev.tern.client.Producer;
import dev.tern.client.ReceivedMessage;
import dev.tern.client.TernClient;
import dev.tern.common.message.Message;
import dev.tern.engine.StartPosition;
import dev.tern.server.config.NodeConfig;
import dev.tern.server.node.TernNode;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A whole node: MQTT and the native protocol meet on the same topics; MQTT sessions survive a node restart. */
@Timeout(90)
class MqttNodeTest {
    @TempDir
    Path dir;
    private TernNode node;

    @AfterEach
    void tearDown() {
        if (node != null) node.close();
    }

    private TernNode start() throws Exception {
        node = TernNode.start(NodeConfig.resolve(null, Map.of(), Map.of("data.dir", dir.resolve("data").toString(),
                "native.port", "0", "http.port", "0", "mqtt.port", "0", "mqtt.ws.port", "-1")));
        return node;
    }

    private MqttClient mqtt(String id, boolean clean, LinkedBlockingQueue<MqttMessage> inbox, LinkedBlockingQueue<String> topics) throws Exception {
        MqttClient c = new MqttClient("tcp://127.0.0.1:" + node.mqttPort(), id, new MemoryPersistence());
        c.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                topics.add(topic);
                inbox.add(message);
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(clean);
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        c.connect(o);
        return c;
    }

    @Test
    void mqttPublishReachesANativeConsumerWithItsProperties() throws Exception {
        start();
        MqttClient pub = mqtt("pub", true, new LinkedBlockingQueue<>(), new LinkedBlockingQueue<>());
        pub.publish("plant/line1/temp", "21.5".getBytes(StandardCharsets.UTF_8), 1, false);
        pub.disconnect();
        pub.close();
        try (TernClient client = TernClient.connect("127.0.0.1:" + node.nativePort());
             Consumer consumer = client.consumer(ConsumerConfig.group("svc").withStart(StartPosition.earliest()))) {
            consumer.subscribe("plant");
            List<ReceivedMessage> got = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (got.isEmpty() && System.nanoTime() < deadline) got.addAll(consumer.poll(Duration.ofSeconds(1)));
            assertThat(got).hasSize(1);
            ReceivedMessage m = got.get(0);
            assertThat(m.bodyAsString()).isEqualTo("21.5");
            assertThat(m.properties()).containsEntry("mqtt.topic", "plant/line1/temp").containsEntry("mqtt.qos", "1")
                    .containsEntry("mqtt.client", "pub");
        }
        String metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + node.httpPort() + "/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("tern_mqtt_messages_published_total 1.0").contains("tern_mqtt_connections")
                .contains("tern_mqtt_messages_dropped_total 0.0").contains("tern_mqtt_messages_caught_up_total 0.0")
                .contains("tern_mqtt_sessions_behind 0.0");
    }

    @Test
    void nativeProducerReachesMqttSubscribersWithAndWithoutTheTopicProperty() throws Exception {
        start();
        LinkedBlockingQueue<MqttMessage> inbox = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<String> topics = new LinkedBlockingQueue<>();
        MqttClient sub = mqtt("sub", true, inbox, topics);
        sub.subscribe("alerts/#", 1);
        try (TernClient client = TernClient.connect("127.0.0.1:" + node.nativePort()); Producer producer = client.producer()) {
            producer.send("alerts", Message.builder("fire".getBytes(StandardCharsets.UTF_8))
                    .properties(Map.of("mqtt.topic", "alerts/building/7")).build());
            producer.send("alerts", Message.of("plain"));
        }
        MqttMessage first = inbox.poll(20, TimeUnit.SECONDS);
        MqttMessage second = inbox.poll(20, TimeUnit.SECONDS);
        assertThat(first).isNotNull();
        assertThat(second).isNotNull();
        List<String> got = List.of(topics.poll() + "=" + new String(first.getPayload(), StandardCharsets.UTF_8),
                topics.poll() + "=" + new String(second.getPayload(), StandardCharsets.UTF_8));
        assertThat(got).containsExactlyInAnyOrder("alerts/building/7=fire", "alerts=plain");
        sub.disconnect();
        sub.close();
    }

    @Test
    void persistentSessionSurvivesANodeRestart() throws Exception {
        start();
        MqttClient sub = mqtt("keeper", false, new LinkedBlockingQueue<>(), new LinkedBlockingQueue<>());
        sub.subscribe("jobs/+", 1);
        sub.disconnect();
        sub.close();
        node.close();
        node = null;
        start();
        try (TernClient client = TernClient.connect("127.0.0.1:" + node.nativePort()); Producer producer = client.producer()) {
            producer.send("jobs", Message.builder("while away".getBytes(StandardCharsets.UTF_8))
                    .properties(Map.of("mqtt.topic", "jobs/42")).build());
        }
        LinkedBlockingQueue<MqttMessage> inbox = new LinkedBlockingQueue<>();
        MqttClient back = mqtt("keeper", false, inbox, new LinkedBlockingQueue<>());
        MqttMessage m = inbox.poll(20, TimeUnit.SECONDS);
        assertThat(m).isNotNull();
        assertThat(new String(m.getPayload(), StandardCharsets.UTF_8)).isEqualTo("while away");
        back.disconnect();
        back.close();
    }
}
