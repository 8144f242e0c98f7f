package dev.tern.server.bench;

import picocli.CommandLine.Command;

/** {@code tern bench produce|consume|mqtt|exhaust}: end-to-end throughput and latency against a running node (mqtt: any MQTT broker). */
@Command(name = "bench", description = "End-to-end benchmarks against a node: throughput and latency percentiles.",
        subcommands = {ProduceBench.class, ConsumeBench.class, MqttBench.class, ExhaustBench.class})
public final class BenchCommand {
}
