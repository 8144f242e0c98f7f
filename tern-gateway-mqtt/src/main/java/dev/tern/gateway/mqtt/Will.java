package dev.tern.gateway.mqtt;

import java.util.Map;

/** The will message of a connection, published when it ends without a normal DISCONNECT. */
record Will(String topic, byte[] payload, int qos, boolean retain, Map<String, String> properties, long delaySeconds) {
}
