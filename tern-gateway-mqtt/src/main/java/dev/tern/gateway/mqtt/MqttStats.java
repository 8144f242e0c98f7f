package dev.tern.gateway.mqtt;

/**
 * A snapshot of the gateway's counters.
 *
 * @param connections sessions connected now
 * @param published   messages stored from MQTT publishes and wills since start
 * @param delivered   deliveries handed to sessions since start (live and caught up)
 * @param retained    retained messages kept
 * @param dropped     deliveries given up since start: expired, over the client's maximum packet size, no longer
 *                    kept by the log when a session that was behind came to read them, and for shared
 *                    subscriptions QoS 0 while the socket was backed up or QoS 1/2 beyond the per-connection queue ({@code maxQueued})
 *                    (the messages stay stored)
 * @param caughtUp    deliveries read from the log for sessions that were behind (slow subscribers, reconnecting
 *                    persistent sessions) since start; part of {@code delivered}
 * @param behind      sessions behind on at least one queue now (catching up from the log)
 * @param retainedRefused retained publishes refused since start by {@code mqtt.retained.max.count} or {@code mqtt.retained.max.bytes}
 * @param topicsRefused   publishes and subscriptions refused since start because their Tern topic was missing and not
 *                        created ({@code mqtt.topic.auto.create} off, or the engine refused the creation: a topic limit)
 */
public record MqttStats(int connections, long published, long delivered, int retained, long dropped, long caughtUp, int behind,
                        long retainedRefused, long topicsRefused) {
}
