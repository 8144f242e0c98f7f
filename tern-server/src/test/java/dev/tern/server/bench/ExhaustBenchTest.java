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

/** {@code tern bench exhaust} against an in-process node with small limits: each phase runs and reports the limits' answers. */
@Timeout(120)
class ExhaustBenchTest {
    @TempDir
    Path dir;

    private static String exhaust(TernNode node, String... args) throws Exception {
        ExhaustBench bench = new ExhaustBench();
        String[] all = new String[args.length + 4];
        all[0] = "--server";
        all[1] = "127.0.0.1:" + node.nativePort();
        all[2] = "--baseline";
        all[3] = "300ms";
        System.arraycopy(args, 0, all, 4, args.length);
        new CommandLine(bench).parseArgs(all);
        return bench.run();
    }

    @Test
    void eachPhaseRunsAndReportsWhatTheLimitsAnswered() throws Exception {
        try (TernNode node = TernNode.start(NodeConfig.resolve(null, Map.of(), Map.of("data.dir", dir.resolve("data").toString(),
                "native.port", "0", "http.port", "0", "mqtt.port", "-1", "topic.auto.create", "true", "topic.max.count", "5",
                "native.max.connections", "12")))) {
            String connections = exhaust(node, "--phase", "connections", "--connections", "20", "--window", "2", "--size", "4096",
                    "--duration", "1s");
            assertThat(connections).contains("too many connections", "native.max.connections", "bystander sync send", "p99 ratio")
                    .doesNotContain("refused connections 0;");

            String missing = exhaust(node, "--phase", "missing-topics", "--sends", "300", "--pipeline-connections", "2", "--pipeline-window", "16");
            assertThat(missing).contains("LIMIT_EXCEEDED=", "topic.max.count", "replies lost 0");

            String ids = exhaust(node, "--phase", "producer-ids", "--sends", "300", "--pipeline-connections", "2", "--pipeline-window", "16");
            assertThat(ids).contains("300 ok", "errors by code {}");
        }
    }
}
