package dev.tern.gateway.mqtt;

/**
 * What clients may make the gateway create and keep. Each limit is a node key; reaching it is refused
 * explicitly (5.0: a reason code and a reason string naming the key; 3.1.1 as documented in {@code docs/mqtt.md}).
 *
 * @param topicAutoCreate  whether a PUBLISH or SUBSCRIBE to a first topic level without a Tern topic creates one
 *                         ({@code mqtt.topic.auto.create}, default true); the creation goes through the engine, so
 *                         the engine's own limits on topics apply to it
 * @param retainedMaxCount retained messages kept at most ({@code mqtt.retained.max.count})
 * @param retainedMaxBytes bytes of retained messages kept at most: payload bytes plus topic-name characters ({@code mqtt.retained.max.bytes})
 * @param maxSubscriptions subscriptions one session may hold ({@code mqtt.max.subscriptions})
 * @param maxSessions      persistent sessions kept in the store, connected or not ({@code mqtt.max.sessions}); a CONNECT
 *                         that would make a new one beyond it is refused (a session already kept may always come back)
 */
public record MqttLimits(boolean topicAutoCreate, int retainedMaxCount, long retainedMaxBytes, int maxSubscriptions,
                         int maxSessions) {

    public static MqttLimits defaults() {
        return new MqttLimits(true, 100_000, 256L << 20, 1_000, 100_000);
    }

    MqttLimits validate() {
        if (retainedMaxCount < 0) throw new IllegalArgumentException("mqtt.retained.max.count cannot be negative");
        if (retainedMaxBytes < 0) throw new IllegalArgumentException("mqtt.retained.max.bytes cannot be negative");
        if (maxSubscriptions < 1) throw new IllegalArgumentException("mqtt.max.subscriptions must be at least 1");
        if (maxSessions < 0) throw new IllegalArgumentException("mqtt.max.sessions cannot be negative");
        return this;
    }
}
