package dev.tern.gateway.mqtt;

/**
 * A snapshot of the gateway's counters.
 *
 * @param connections sessions connected now
 * @param published   messages stored from MQTT publishes and wills since start
 * @param delivered   deliveries routed to sessions since start
 * @param retained    retained messages kept
 */
public record MqttStats(int connections, long published, long delivered, int retained) {
}
