package dev.tern.server.bench;

import dev.tern.server.config.NodeConfig;
import dev.tern.server.node.TernNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code tern bench mqtt} against an in-process node: a short run delivers and reports. */
@Timeout(60)
class MqttBenchTest {
    @TempDir
    Path dir;

    @Test
    void aShortRunDeliversToEverySubscriber() throws Exception {
        try (TernNode node = TernNode.start(NodeConfig.resolve(null, Map.of(), Map.of("data.dir", dir.resolve("data").toString(),
                "native.port", "0", "http.port", "0", "mqtt.port", "0", "mqtt.ws.port", "-1")))) {
            for (int qos = 0; qos <= 1; qos++) {
                MqttBench bench = new MqttBench();
                new CommandLine(bench).parseArgs("--broker", "127.0.0.1:" + node.mqttPort(), "--subscribers", "3", "--qos", "" + qos,
                        "--rate", "2000", "--warmup", "0s", "--duration", "1s", "--drain", "5s");
                MqttBench.Result r = bench.run();
                assertThat(r.published()).as("more than one window of QoS 1 publishes").isGreaterThan(200);
                assertThat(r.deliveredRate()).isPositive();
                assertThat(r.latency().getTotalCount()).isPositive();
                if (qos == 1) assertThat(r.lost()).as("QoS 1 loses nothing").isZero();
                assertThat(bench.summary(r)).contains("delivered", "p99");
            }
        }
    }
}
