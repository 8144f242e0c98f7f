package dev.tern.server.cli;

import picocli.CommandLine.Command;

/** The {@code tern} command: one subcommand per task. */
@Command(name = "tern", mixinStandardHelpOptions = true, version = "tern 0.1.0-SNAPSHOT",
        description = "Tern: a unified messaging engine.",
        subcommands = {ServerCommand.class, TopicCommand.class, ProduceCommand.class, ConsumeCommand.class,
                GroupCommand.class, dev.tern.server.bench.BenchCommand.class, DemoCommand.class, PopCommand.class, DlqCommand.class, TxnCommand.class, StoreCommand.class})
final class TernCommand {
}
