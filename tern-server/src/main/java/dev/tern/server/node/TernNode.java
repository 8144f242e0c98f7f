package dev.tern.server.node;

import dev.tern.engine.ClientLimits;
import dev.tern.engine.Engine;
import dev.tern.engine.EngineConfig;
import dev.tern.engine.EngineLimits;
import dev.tern.engine.Engines;
import dev.tern.engine.TransactionConfig;
import dev.tern.engine.sql.SqlLimits;
import dev.tern.gateway.mqtt.CredentialList;
import dev.tern.gateway.mqtt.MqttGateway;
import dev.tern.gateway.mqtt.MqttGatewayConfig;
import dev.tern.gateway.mqtt.MqttLimits;
import dev.tern.protocol.server.NativeServer;
import dev.tern.protocol.server.NativeServerConfig;
import dev.tern.server.config.Keys;
import dev.tern.server.config.NodeConfig;
import dev.tern.server.http.HttpEndpoint;
import dev.tern.store.local.LocalStore;
import dev.tern.store.local.LocalStoreConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An all-in-one node: the local store, the engine over it, and the listeners in front (native protocol,
 * MQTT unless {@code mqtt.port} is -1, HTTP). Wiring only: each part is built from the configuration and closed in reverse order.
 */
public final class TernNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TernNode.class);

    private final LocalStore store;
    private final Engine engine;
    private final NativeServer nativeServer;
    private final MqttGateway mqtt;
    private final HttpEndpoint http;

    private TernNode(LocalStore store, Engine engine, NativeServer nativeServer, MqttGateway mqtt, HttpEndpoint http) {
        this.store = store;
        this.engine = engine;
        this.nativeServer = nativeServer;
        this.mqtt = mqtt;
        this.http = http;
    }

    public static TernNode start(NodeConfig c) throws IOException {
        LocalStore store = LocalStore.open(storeConfig(c));
        Engine engine = null;
        NativeServer nativeServer = null;
        MqttGateway mqtt = null;
        try {
            NodeMetrics metrics = new NodeMetrics(c.get(Keys.METRICS_MAX_TAG_VALUES));
            engine = Engines.create(store, engineConfig(c), metrics);
            metrics.bind(engine, store);
            String host = c.get(Keys.BIND_HOST);
            nativeServer = new NativeServer(engine, nativeConfig(c)).start();
            metrics.bindNative(nativeServer);
            if (c.get(Keys.MQTT_PORT) >= 0) {
                mqtt = new MqttGateway(engine, store.metadata(), mqttConfig(c)).start();
                metrics.bindMqtt(mqtt);
            }
            HttpEndpoint http = new HttpEndpoint(host, c.get(Keys.HTTP_PORT), metrics, () -> store.readOnlyReason()
                    .map(why -> new HttpEndpoint.Health(false, "read-only: " + why))
                    .orElse(new HttpEndpoint.Health(true, "ok")));
            LOG.info("http listening on {}:{} (/metrics, /health)", host, http.port());
            return new TernNode(store, engine, nativeServer, mqtt, http);
        } catch (IOException | RuntimeException e) {
            if (mqtt != null) mqtt.close();
            if (nativeServer != null) nativeServer.close();
            if (engine != null) engine.close();
            store.close();
            throw e;
        }
    }

    static LocalStoreConfig storeConfig(NodeConfig c) {
        return LocalStoreConfig.defaults(Path.of(c.get(Keys.DATA_DIR)))
                .withSegmentBytes(c.get(Keys.STORE_SEGMENT_BYTES))
                .withMaxMessageBytes(c.get(Keys.STORE_MAX_MESSAGE_BYTES))
                .withFlushIntervalMs(c.get(Keys.STORE_FLUSH_INTERVAL_MS))
                .withCheckpointIntervalMs(c.get(Keys.STORE_CHECKPOINT_INTERVAL_MS))
                .withQueueEntriesPerFile(c.get(Keys.STORE_QUEUE_ENTRIES_PER_FILE))
                .withRetention(c.get(Keys.STORE_RETENTION_MS), c.get(Keys.STORE_RETENTION_BYTES))
                .withRetentionCheckMs(c.get(Keys.STORE_RETENTION_CHECK_MS))
                .withVerifyLogOnOpen(c.get(Keys.STORE_VERIFY_ON_OPEN))
                .withMaxPendingBytes(c.get(Keys.STORE_MAX_PENDING_BYTES));
    }

    static NativeServerConfig nativeConfig(NodeConfig c) {
        return NativeServerConfig.defaults().withHost(c.get(Keys.BIND_HOST)).withPort(c.get(Keys.NATIVE_PORT))
                .withMaxFrameBytes(c.get(Keys.NATIVE_MAX_FRAME_BYTES)).withIdleTimeoutMs(c.get(Keys.NATIVE_IDLE_TIMEOUT_MS))
                .withMaxConnections(c.get(Keys.NATIVE_MAX_CONNECTIONS))
                .withMaxInflightBytes(c.get(Keys.NATIVE_MAX_INFLIGHT_BYTES), c.get(Keys.NATIVE_MAX_INFLIGHT_BYTES_TOTAL));
    }

    static EngineConfig engineConfig(NodeConfig c) {
        return EngineConfig.defaults()
                .withDefaultDurability(c.get(Keys.STORE_FLUSH))
                .withAutoCreateTopics(c.get(Keys.TOPIC_AUTO_CREATE), c.get(Keys.TOPIC_AUTO_CREATE_QUEUES))
                .withSessionTimeoutMs(c.get(Keys.GROUP_SESSION_TIMEOUT_MS))
                .withMaxPullWaitMs(c.get(Keys.PULL_MAX_WAIT_MS))
                .withMaxDelayMs(c.get(Keys.DELAY_MAX_MS))
                .withAck(c.get(Keys.ACK_MAX_ATTEMPTS), c.get(Keys.ACK_RETRY_BACKOFF_MS))
                .withTransactions(new TransactionConfig(c.get(Keys.TXN_CHECK_TIMEOUT_MS), c.get(Keys.TXN_CHECK_INTERVAL_MS),
                        c.get(Keys.TXN_CHECK_MAX), c.get(Keys.TXN_MAX_AGE_MS)))
                .withLimits(new EngineLimits(c.get(Keys.TOPIC_MAX_COUNT), c.get(Keys.TOPIC_MAX_QUEUES), c.get(Keys.PULL_MAX_WAITING)))
                .withClientLimits(clientLimits(c));
    }

    static ClientLimits clientLimits(NodeConfig c) {
        return new ClientLimits(new SqlLimits(c.get(Keys.FILTER_MAX_LENGTH), c.get(Keys.FILTER_SQL_MAX_DEPTH), c.get(Keys.FILTER_SQL_MAX_IN_VALUES)),
                c.get(Keys.PRODUCER_DEDUP_EXPIRY_MS), c.get(Keys.PRODUCER_DEDUP_CACHE_BYTES), c.get(Keys.GROUP_MAX_MEMBERS),
                c.get(Keys.GROUP_MAX_SUBSCRIPTIONS), c.get(Keys.TXN_MAX_PENDING));
    }

    static MqttGatewayConfig mqttConfig(NodeConfig c) {
        MqttGatewayConfig d = MqttGatewayConfig.ephemeral();
        return new MqttGatewayConfig(c.get(Keys.BIND_HOST), c.get(Keys.MQTT_PORT), c.get(Keys.MQTT_WS_PORT), c.get(Keys.MQTT_WS_PATH),
                c.get(Keys.MQTT_TOPIC_QUEUES), c.get(Keys.MQTT_MAX_PACKET_BYTES), c.get(Keys.MQTT_MAX_KEEPALIVE_SECONDS),
                c.get(Keys.MQTT_MAX_INFLIGHT), d.maxQueued(), c.get(Keys.MQTT_MAX_CONNECTIONS), credentials(c), d.clientIdPolicy(),
                c.get(Keys.MQTT_SYS_INTERVAL_SECONDS), c.get(Keys.STORE_FLUSH),
                new MqttLimits(c.get(Keys.MQTT_TOPIC_AUTO_CREATE), c.get(Keys.MQTT_RETAINED_MAX_COUNT), c.get(Keys.MQTT_RETAINED_MAX_BYTES),
                        c.get(Keys.MQTT_MAX_SUBSCRIPTIONS), c.get(Keys.MQTT_MAX_SESSIONS))).withClientIdPattern(c.get(Keys.MQTT_CLIENT_ID_PATTERN));
    }

    private static CredentialList credentials(NodeConfig c) {
        try {
            return CredentialList.parse(c.get(Keys.MQTT_AUTH_USERS));
        } catch (IllegalArgumentException e) {
            throw dev.tern.common.error.TernException.invalid("mqtt.auth.users: " + e.getMessage());
        }
    }

    public int nativePort() {
        return nativeServer.port();
    }

    public int httpPort() {
        return http.port();
    }

    /** The MQTT TCP port, or -1 when MQTT is off. */
    public int mqttPort() {
        return mqtt == null ? -1 : mqtt.port();
    }

    /** The MQTT WebSocket port, or -1 when it is off. */
    public int mqttWsPort() {
        return mqtt == null ? -1 : mqtt.wsPort();
    }

    public Engine engine() {
        return engine;
    }

    @Override
    public void close() {
        http.close();
        // MQTT first: closing its connections saves persistent sessions and publishes wills through the engine
        if (mqtt != null) mqtt.close();
        nativeServer.close();
        engine.close();
        store.close();
        LOG.info("node stopped");
    }
}
