package dev.tern.gateway.mqtt;

import dev.tern.engine.Engine;
import dev.tern.engine.EngineConfig;
import dev.tern.engine.Engines;
import dev.tern.store.local.LocalStore;
import dev.tern.store.local.LocalStoreConfig;

import java.nio.file.Path;

/** A local store, an engine and an MQTT gateway on free loopback ports; {@link #restart()} reopens all three. */
final class GatewayFixture implements AutoCloseable {
    private final Path dir;
    private final MqttGatewayConfig config;
    private final java.util.function.UnaryOperator<Engine> wrap;
    private LocalStore store;
    private Engine engine;
    private MqttGateway gateway;
    private FreezableMetadata metadata;

    GatewayFixture(Path dir, MqttGatewayConfig config) {
        this(dir, config, e -> e);
    }

    /** The gateway runs over {@code wrap} applied to the engine (a test's fault seam). */
    GatewayFixture(Path dir, MqttGatewayConfig config, java.util.function.UnaryOperator<Engine> wrap) {
        this.dir = dir;
        this.config = config;
        this.wrap = wrap;
        open(config.port(), config.wsPort());
    }

    GatewayFixture(Path dir) {
        this(dir, MqttGatewayConfig.ephemeral());
    }

    private void open(int port, int wsPort) {
        store = LocalStore.open(LocalStoreConfig.defaults(dir).withSegmentBytes(64L << 20));
        engine = wrap.apply(Engines.create(store, EngineConfig.defaults().withMaxPullWaitMs(10_000)));
        metadata = new FreezableMetadata(store.metadata());
        gateway = new MqttGateway(engine, metadata, config.withPorts(port, wsPort)).start();
    }

    /** Closes and reopens everything over the same directory, on the same ports. */
    void restart() {
        int port = gateway.port();
        int ws = gateway.wsPort();
        close();
        open(port, ws);
    }

    /** Like a crash for the gateway's state: nothing it writes from now on reaches the store; then restarts. */
    void crashAndRestart() {
        metadata.freeze();
        restart();
    }

    String tcpUri() {
        return "tcp://127.0.0.1:" + gateway.port();
    }

    String wsUri() {
        return "ws://127.0.0.1:" + gateway.wsPort() + "/mqtt";
    }

    int port() {
        return gateway.port();
    }

    Engine engine() {
        return engine;
    }

    dev.tern.store.api.MetadataStore metadata() {
        return metadata;
    }

    MqttGateway gateway() {
        return gateway;
    }

    @Override
    public void close() {
        gateway.close();
        engine.close();
        store.close();
    }
}
