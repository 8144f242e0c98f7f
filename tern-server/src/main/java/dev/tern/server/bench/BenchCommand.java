package dev.tern.server.bench;

import picocli.CommandLine.Command;

/** {@code tern bench produce|consume}: end-to-end throughput and latency against a running node. */
@Command(name = "bench", description = "End-to-end benchmarks against a node: throughput and latency percentiles.",
        subcommands = {ProduceBench.class, ConsumeBench.class})
public final class BenchCommand {
}
