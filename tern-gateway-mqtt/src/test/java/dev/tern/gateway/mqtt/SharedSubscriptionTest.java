package dev.tern.gateway.mqtt;

import dev.tern.engine.GroupDescription;
import dev.tern.testsupport.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code $share/group/filter} across two gateways (two nodes in front of one engine): the share group is an
 * engine consumer group, so each message goes to exactly one member, whichever node it is connected to.
 */
@Timeout(90)
class SharedSubscriptionTest {
    @TempDir
    Path dir;

    @Test
    void eachMessageGoesToOneMemberAcrossNodes() throws Exception {
        try (GatewayFixture node = new GatewayFixture(dir);
             MqttGateway second = new MqttGateway(node.engine(), node.metadata(), MqttGatewayConfig.ephemeral().withPorts(0, -1)).start();
             Paho3 a = Paho3.connect(node.tcpUri(), "worker-a", true);
             Paho3 b = Paho3.connect("tcp://127.0.0.1:" + second.port(), "worker-b", true);
             Paho3 pub = Paho3.connect(node.tcpUri(), "pub", true)) {
            a.client.subscribe("$share/workers/jobs/+", 1);
            b.client.subscribe("$share/workers/jobs/+", 1);
            Await.await().until(() -> Await.result(node.engine().groups().describe("mqtt-share-workers"))
                    .map(GroupDescription::members).map(m -> m.size() == 2 && m.stream().allMatch(x -> !x.assigned().isEmpty()))
                    .orElse(false));
            // the first member learns that it gave queues away at its next heartbeat (every 3 s)
            Thread.sleep(3500);
            for (int i = 0; i < 40; i++) pub.publish("jobs/" + i, "job " + i, 1, false);
            Set<String> got = new HashSet<>();
            int fromA = 0;
            int fromB = 0;
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (fromA + fromB < 40 && System.nanoTime() < deadline) {
                Paho3.Received r = a.poll(20);
                if (r != null) {
                    fromA++;
                    assertThat(got.add(r.body())).as("duplicate %s", r.body()).isTrue();
                }
                r = b.poll(20);
                if (r != null) {
                    fromB++;
                    assertThat(got.add(r.body())).as("duplicate %s", r.body()).isTrue();
                }
            }
            assertThat(got).hasSize(40);
            assertThat(fromA).isPositive();
            assertThat(fromB).isPositive();
            assertThat(a.poll(300)).isNull();
            assertThat(b.poll(300)).isNull();
        }
    }
}
