package dev.tern.server.cli;

import dev.tern.client.ClientConfig;
import dev.tern.client.TernClient;
import picocli.CommandLine.Option;

/** The {@code --server HOST:PORT} option of every client command. */
final class ServerOption {
    @Option(names = "--server", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:7600",
            description = "the node to talk to (default: ${DEFAULT-VALUE})")
    String server;

    TernClient connect() {
        return TernClient.connect(ClientConfig.of(server).withClientId("tern-cli"));
    }
}
