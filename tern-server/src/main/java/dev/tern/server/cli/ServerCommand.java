package dev.tern.server.cli;

import dev.tern.server.config.NodeConfig;
import dev.tern.server.node.TernNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code tern server}: runs an all-in-one node in the foreground until interrupted (Ctrl-C, SIGTERM). */
@Command(name = "server", description = "Run an all-in-one node in the foreground (store, engine, native protocol, HTTP metrics).")
final class ServerCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", description = "a tern.properties file")
    Path config;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "data directory (same as --set data.dir=DIR)")
    String dataDir;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "set a configuration key (see the README); repeatable")
    Map<String, String> sets = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        Map<String, String> all = new LinkedHashMap<>(sets);
        if (dataDir != null) all.put("data.dir", dataDir);
        NodeConfig c = NodeConfig.resolve(config, System.getenv(), all);
        TernNode node = TernNode.start(c);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "tern-shutdown"));
        stopped.await();
        return 0;
    }
}
