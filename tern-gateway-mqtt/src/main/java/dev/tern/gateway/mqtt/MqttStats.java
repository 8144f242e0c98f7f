package dev.tern.gateway.mqtt;

/**
 * A snapshot of the gateway's counters.
 *
 * @param connections sessions connected now
 * @param published   messages stored from MQTT publishes and wills since start
 * @param delivered   deliveries routed to sessions since start
 * @param retained    retained messages kept
 * @param dropped     deliveries dropped since start: expired, over the client's maximum packet size, QoS 0
 *                    while the socket was backed up, QoS 1/2 beyond {@code mqtt.max.queued} (all stay stored)
 */
public record MqttStats(int connections, long published, long delivered, int retained, long dropped) {
}
