package dev.tern.gateway.mqtt;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5RetainHandling;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** MQTT 5.0 end to end with the HiveMQ client. */
@Timeout(60)
class Mqtt5Test {
    @TempDir
    Path dir;
    private GatewayFixture node;
    private final List<Mqtt5BlockingClient> clients = new ArrayList<>();

    @AfterEach
    void tearDown() {
        for (Mqtt5BlockingClient c : clients) {
            try {
                if (c.getState().isConnected()) c.disconnect();
            } catch (RuntimeException ignored) {
                // already gone
            }
        }
        if (node != null) node.close();
    }

    private Mqtt5BlockingClient client(String id) {
        Mqtt5BlockingClient c = Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(node.port()).buildBlocking();
        clients.add(c);
        return c;
    }

    private static Mqtt5Publish receive(Mqtt5BlockingClient.Mqtt5Publishes p) throws InterruptedException {
        Optional<Mqtt5Publish> m = p.receive(20, TimeUnit.SECONDS);
        assertThat(m).as("a message within 20 s").isPresent();
        return m.get();
    }

    private static String body(Mqtt5Publish p) {
        return new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void assignedClientIdAndServerKeepAliveAreAnnounced() {
        node = new GatewayFixture(dir);
        Mqtt5BlockingClient c = Mqtt5Client.builder().serverHost("127.0.0.1").serverPort(node.port()).buildBlocking();
        clients.add(c);
        Mqtt5ConnAck ack = c.connectWith().keepAlive(65535).send();
        assertThat(ack.getAssignedClientIdentifier()).isPresent();
        assertThat(ack.getAssignedClientIdentifier().get().toString()).startsWith("tern-");
        assertThat(ack.getServerKeepAlive()).hasValue(3600);
        assertThat(ack.getRestrictions().getReceiveMaximum()).isEqualTo(100);
    }

    @Test
    void userPropertiesResponseTopicAndCorrelationDataTravel() throws Exception {
        node = new GatewayFixture(dir);
        Mqtt5BlockingClient sub = client("sub");
        sub.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes in = sub.publishes(MqttGlobalPublishFilter.ALL)) {
            sub.subscribeWith().topicFilter("req/+").qos(MqttQos.EXACTLY_ONCE).send();
            Mqtt5BlockingClient pub = client("pub");
            pub.connect();
            pub.publishWith().topic("req/add").qos(MqttQos.EXACTLY_ONCE).payload("1+1".getBytes(StandardCharsets.UTF_8))
                    .responseTopic("resp/add").correlationData("c-42".getBytes(StandardCharsets.UTF_8))
                    .userProperties().add("trace", "abc").applyUserProperties().send();
            Mqtt5Publish m = receive(in);
            assertThat(body(m)).isEqualTo("1+1");
            assertThat(m.getQos()).isEqualTo(MqttQos.EXACTLY_ONCE);
            assertThat(m.getResponseTopic().map(Object::toString)).hasValue("resp/add");
            assertThat(m.getCorrelationData().map(b -> StandardCharsets.UTF_8.decode(b).toString())).hasValue("c-42");
            assertThat(m.getUserProperties().asList()).anySatisfy(p -> {
                assertThat(p.getName().toString()).isEqualTo("trace");
                assertThat(p.getValue().toString()).isEqualTo("abc");
            });
        }
    }

    @Test
    void noLocalSkipsTheClientsOwnMessages() throws Exception {
        node = new GatewayFixture(dir);
        Mqtt5BlockingClient c = client("self");
        c.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes in = c.publishes(MqttGlobalPublishFilter.ALL)) {
            c.subscribeWith().topicFilter("chat/room").qos(MqttQos.AT_LEAST_ONCE).noLocal(true).send();
            c.publishWith().topic("chat/room").qos(MqttQos.AT_LEAST_ONCE).payload("mine".getBytes(StandardCharsets.UTF_8)).send();
            Mqtt5BlockingClient other = client("other");
            other.connect();
            other.publishWith().topic("chat/room").qos(MqttQos.AT_LEAST_ONCE).payload("theirs".getBytes(StandardCharsets.UTF_8)).send();
            assertThat(body(receive(in))).isEqualTo("theirs");
            assertThat(in.receive(300, TimeUnit.MILLISECONDS)).isEmpty();
        }
    }

    @Test
    void aMessageOverTheClientsMaximumPacketSizeIsSkippedAndCountedAsDropped() throws Exception {
        node = new GatewayFixture(dir);
        Mqtt5BlockingClient small = client("small");
        small.connectWith().restrictions().maximumPacketSize(600).applyRestrictions().send();
        Mqtt5BlockingClient pub = client("pub");
        pub.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes in = small.publishes(MqttGlobalPublishFilter.ALL)) {
            small.subscribeWith().topicFilter("sz/#").qos(MqttQos.AT_LEAST_ONCE).send();
            pub.publishWith().topic("sz/a").qos(MqttQos.AT_LEAST_ONCE).payload(new byte[1000]).send();
            pub.publishWith().topic("sz/a").qos(MqttQos.AT_LEAST_ONCE).payload("fits".getBytes(StandardCharsets.UTF_8)).send();
            assertThat(body(receive(in))).isEqualTo("fits");
        }
        assertThat(node.gateway().stats().dropped()).isEqualTo(1);
        assertThat(node.gateway().stats().published()).isEqualTo(2);
    }

    @Test
    void retainHandlingAndMessageExpiry() throws Exception {
        node = new GatewayFixture(dir);
        Mqtt5BlockingClient pub = client("pub");
        pub.connect();
        pub.publishWith().topic("r/keep").retain(true).qos(MqttQos.AT_LEAST_ONCE).payload("kept".getBytes(StandardCharsets.UTF_8)).send();
        pub.publishWith().topic("r/short").retain(true).qos(MqttQos.AT_LEAST_ONCE).messageExpiryInterval(1)
                .payload("expires".getBytes(StandardCharsets.UTF_8)).send();
        Thread.sleep(2100); // the expiry under test is whole seconds
        Mqtt5BlockingClient never = client("never");
        never.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes in = never.publishes(MqttGlobalPublishFilter.ALL)) {
            never.subscribeWith().topicFilter("r/#").retainHandling(Mqtt5RetainHandling.DO_NOT_SEND).send();
            assertThat(in.receive(300, TimeUnit.MILLISECONDS)).isEmpty();
        }
        Mqtt5BlockingClient sub = client("sub");
        sub.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes in = sub.publishes(MqttGlobalPublishFilter.ALL)) {
            sub.subscribeWith().topicFilter("r/#").qos(MqttQos.AT_LEAST_ONCE).send();
            Mqtt5Publish m = receive(in);
            assertThat(body(m)).isEqualTo("kept");
            assertThat(m.isRetain()).isTrue();
            assertThat(in.receive(300, TimeUnit.MILLISECONDS)).as("the expired retained message is gone").isEmpty();
        }
    }

    @Test
    void sharedSubscriptionGivesEachMessageToOneMember() throws Exception {
        node = new GatewayFixture(dir);
        Mqtt5BlockingClient a = client("a");
        Mqtt5BlockingClient b = client("b");
        a.connect();
        b.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes inA = a.publishes(MqttGlobalPublishFilter.ALL);
             Mqtt5BlockingClient.Mqtt5Publishes inB = b.publishes(MqttGlobalPublishFilter.ALL)) {
            a.subscribeWith().topicFilter("$share/workers/tasks/#").qos(MqttQos.AT_LEAST_ONCE).send();
            b.subscribeWith().topicFilter("$share/workers/tasks/#").qos(MqttQos.AT_LEAST_ONCE).send();
            Mqtt5BlockingClient pub = client("pub");
            pub.connect();
            for (int i = 0; i < 10; i++) {
                pub.publishWith().topic("tasks/" + i).qos(MqttQos.AT_LEAST_ONCE).payload(("t" + i).getBytes(StandardCharsets.UTF_8)).send();
            }
            int got = 0;
            int fromA = 0;
            while (got < 10) {
                Optional<Mqtt5Publish> m = inA.receive(50, TimeUnit.MILLISECONDS);
                if (m.isPresent()) {
                    got++;
                    fromA++;
                }
                if (inB.receive(50, TimeUnit.MILLISECONDS).isPresent()) got++;
            }
            assertThat(got).isEqualTo(10);
            assertThat(fromA).isBetween(1, 9);
            assertThat(inA.receive(200, TimeUnit.MILLISECONDS)).isEmpty();
            assertThat(inB.receive(200, TimeUnit.MILLISECONDS)).isEmpty();
        }
    }

    @Test
    void sessionExpiryKeepsTheSessionAcrossReconnects() throws Exception {
        node = new GatewayFixture(dir);
        Mqtt5BlockingClient c = client("durable5");
        c.connectWith().cleanStart(true).sessionExpiryInterval(300).send();
        c.subscribeWith().topicFilter("inbox/durable5").qos(MqttQos.AT_LEAST_ONCE).send();
        c.disconnect();
        Mqtt5BlockingClient pub = client("pub");
        pub.connect();
        pub.publishWith().topic("inbox/durable5").qos(MqttQos.AT_LEAST_ONCE).payload("queued".getBytes(StandardCharsets.UTF_8)).send();
        try (Mqtt5BlockingClient.Mqtt5Publishes in = c.publishes(MqttGlobalPublishFilter.ALL)) {
            Mqtt5ConnAck ack = c.connectWith().cleanStart(false).sessionExpiryInterval(300).send();
            assertThat(ack.isSessionPresent()).isTrue();
            assertThat(body(receive(in))).isEqualTo("queued");
        }
    }

    @Test
    void invalidFilterGetsItsReasonCodeInTheSuback() {
        node = new GatewayFixture(dir);
        Mqtt5BlockingClient c = client("f");
        c.connect();
        Mqtt5SubAck ack = c.subscribeWith().topicFilter("ok/+").qos(MqttQos.AT_LEAST_ONCE).send();
        assertThat(ack.getReasonCodes()).containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
    }
}
