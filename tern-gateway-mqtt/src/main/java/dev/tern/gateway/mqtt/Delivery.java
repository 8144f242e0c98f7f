package dev.tern.gateway.mqtt;

import dev.tern.common.message.StoredMessage;

import java.util.Map;

/**
 * A message on its way to MQTT subscribers: what a reader took from a Tern topic (or a retained
 * message), with its MQTT view decoded once and shared by every session it goes to.
 *
 * @param mqttTopic  the MQTT topic name
 * @param payload    the body (shared, never modified)
 * @param qos        the QoS it was published with (2 for messages sent natively)
 * @param retain     the RETAIN flag it was published with
 * @param properties the message's properties (mapped to MQTT 5 properties on the way out)
 * @param ternTopic  where it is stored (null for retained messages served from the retained table)
 * @param queue      its queue
 * @param offset     its queue offset
 * @param publisher  the publishing MQTT client id, or null
 * @param expiresAt  epoch ms after which it is dropped, 0 for never
 */
record Delivery(String mqttTopic, byte[] payload, int qos, boolean retain, Map<String, String> properties,
                String ternTopic, int queue, long offset, String publisher, long expiresAt) {

    static Delivery of(StoredMessage m) {
        Map<String, String> p = m.properties();
        String qos = p.get(TopicMapping.QOS);
        String expires = p.get(TopicMapping.EXPIRES_AT);
        return new Delivery(TopicMapping.mqttTopic(m), m.body(), qos == null ? 2 : parseQos(qos),
                "true".equals(p.get(TopicMapping.RETAIN)), p, m.topic(), m.queue(), m.queueOffset(),
                p.get(TopicMapping.CLIENT_ID), expires == null ? 0 : parseLong(expires));
    }

    boolean expired(long now) {
        return expiresAt > 0 && now >= expiresAt;
    }

    Delivery asRetained() {
        return new Delivery(mqttTopic, payload, qos, true, properties, ternTopic, queue, offset, publisher, expiresAt);
    }

    private static int parseQos(String s) {
        return switch (s) {
            case "0" -> 0;
            case "1" -> 1;
            default -> 2;
        };
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
