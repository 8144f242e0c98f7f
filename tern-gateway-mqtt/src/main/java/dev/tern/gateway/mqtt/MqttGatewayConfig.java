package dev.tern.gateway.mqtt;

import dev.tern.store.api.Durability;

import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Settings of the MQTT gateway (the node maps its {@code mqtt.*} keys onto these).
 *
 * @param host              address to bind
 * @param port              MQTT over TCP ({@code mqtt.port}); 0 picks a free port
 * @param wsPort            MQTT over WebSocket ({@code mqtt.ws.port}); 0 picks a free port, -1 disables it
 * @param wsPath            the WebSocket path ({@code /mqtt})
 * @param topicQueues       queues of a Tern topic the gateway creates ({@code mqtt.topic.queues})
 * @param maxPacketBytes    largest packet accepted ({@code mqtt.max.packet.bytes})
 * @param maxKeepAliveSecs  the longest keep-alive granted; MQTT 5 clients asking more get this as server keep-alive
 * @param receiveMaximum    QoS 1/2 publishes a client may have unacknowledged towards the gateway, and the
 *                          default number the gateway keeps in flight towards a client ({@code mqtt.max.inflight})
 * @param maxQueued         messages queued per connection beyond those in flight; beyond that a session falls behind
 *                          and reads on from the log ({@link CatchUp}), and shared subscriptions drop
 * @param maxConnections    connections accepted at once ({@code mqtt.max.connections})
 * @param authenticator     who may connect
 * @param clientIdPolicy    which client ids may connect ({@code mqtt.client.id.pattern}); others get CONNACK
 *                          0x02 (3.1.1) / 0x85 (5.0). Ids the gateway assigns always pass
 * @param sysIntervalSecs   how often {@code $SYS/} statistics are published ({@code mqtt.sys.interval.seconds}); 0: never
 * @param durability        how durable the gateway's own acknowledged writes are before the acknowledgement leaves:
 *                          retained messages, QoS 2 packet ids awaiting release ({@code store.flush})
 * @param limits            what clients may make the gateway create and keep
 */
public record MqttGatewayConfig(String host, int port, int wsPort, String wsPath, int topicQueues, int maxPacketBytes,
                                int maxKeepAliveSecs, int receiveMaximum, int maxQueued, int maxConnections,
                                Authenticator authenticator, Predicate<String> clientIdPolicy, int sysIntervalSecs,
                                Durability durability, MqttLimits limits) {

    /** Loopback, free ports for TCP and WebSocket, anonymous access. */
    public static MqttGatewayConfig ephemeral() {
        return new MqttGatewayConfig("127.0.0.1", 0, 0, "/mqtt", 4, 1 << 20, 3600, 100, 10_000, 10_000, Authenticator.ANONYMOUS, id -> true, 10,
                Durability.ASYNC, MqttLimits.defaults());
    }

    public MqttGatewayConfig withPorts(int port, int wsPort) {
        return new MqttGatewayConfig(host, port, wsPort, wsPath, topicQueues, maxPacketBytes, maxKeepAliveSecs, receiveMaximum,
                maxQueued, maxConnections, authenticator, clientIdPolicy, sysIntervalSecs, durability, limits);
    }

    public MqttGatewayConfig withHost(String h) {
        return new MqttGatewayConfig(h, port, wsPort, wsPath, topicQueues, maxPacketBytes, maxKeepAliveSecs, receiveMaximum,
                maxQueued, maxConnections, authenticator, clientIdPolicy, sysIntervalSecs, durability, limits);
    }

    public MqttGatewayConfig withAuthenticator(Authenticator a) {
        return new MqttGatewayConfig(host, port, wsPort, wsPath, topicQueues, maxPacketBytes, maxKeepAliveSecs, receiveMaximum,
                maxQueued, maxConnections, a, clientIdPolicy, sysIntervalSecs, durability, limits);
    }

    public MqttGatewayConfig withLimits(int topicQueues, int maxPacketBytes, int maxKeepAliveSecs, int receiveMaximum, int maxConnections) {
        return new MqttGatewayConfig(host, port, wsPort, wsPath, topicQueues, maxPacketBytes, maxKeepAliveSecs, receiveMaximum,
                maxQueued, maxConnections, authenticator, clientIdPolicy, sysIntervalSecs, durability, limits);
    }

    /** Only client ids matching {@code regex} (whole id) may connect. */
    public MqttGatewayConfig withClientIdPattern(String regex) {
        Pattern p = Pattern.compile(regex);
        return new MqttGatewayConfig(host, port, wsPort, wsPath, topicQueues, maxPacketBytes, maxKeepAliveSecs, receiveMaximum,
                maxQueued, maxConnections, authenticator, id -> p.matcher(id).matches(), sysIntervalSecs, durability, limits);
    }

    public MqttGatewayConfig withSysInterval(int seconds) {
        return new MqttGatewayConfig(host, port, wsPort, wsPath, topicQueues, maxPacketBytes, maxKeepAliveSecs, receiveMaximum,
                maxQueued, maxConnections, authenticator, clientIdPolicy, seconds, durability, limits);
    }

    /** The durability of the gateway's acknowledged writes (the node's {@code store.flush}). */
    public MqttGatewayConfig withDurability(Durability d) {
        return new MqttGatewayConfig(host, port, wsPort, wsPath, topicQueues, maxPacketBytes, maxKeepAliveSecs, receiveMaximum,
                maxQueued, maxConnections, authenticator, clientIdPolicy, sysIntervalSecs, d, limits);
    }

    public MqttGatewayConfig withLimits(MqttLimits l) {
        return new MqttGatewayConfig(host, port, wsPort, wsPath, topicQueues, maxPacketBytes, maxKeepAliveSecs, receiveMaximum,
                maxQueued, maxConnections, authenticator, clientIdPolicy, sysIntervalSecs, durability, l);
    }

    MqttGatewayConfig validate() {
        if (durability == null) throw new IllegalArgumentException("a durability is required");
        if (limits == null) throw new IllegalArgumentException("limits are required");
        limits.validate();
        if (sysIntervalSecs < 0) throw new IllegalArgumentException("mqtt.sys.interval.seconds cannot be negative");
        if (topicQueues < 1 || topicQueues > 1024) throw new IllegalArgumentException("mqtt.topic.queues must be 1 to 1024");
        if (maxPacketBytes < 64) throw new IllegalArgumentException("mqtt.max.packet.bytes must be at least 64");
        if (receiveMaximum < 1 || receiveMaximum > 65535) throw new IllegalArgumentException("mqtt.max.inflight must be 1 to 65535");
        if (clientIdPolicy == null) throw new IllegalArgumentException("a client-id policy is required");
        if (authenticator == null) throw new IllegalArgumentException("an authenticator is required");
        return this;
    }
}
