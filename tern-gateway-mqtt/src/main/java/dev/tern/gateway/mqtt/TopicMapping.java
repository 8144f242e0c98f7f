package dev.tern.gateway.mqtt;

import dev.tern.common.message.StoredMessage;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The reversible mapping of MQTT topic names onto Tern topics (documented in {@code docs/mqtt.md}).
 * <p>
 * The first level of an MQTT topic name is the Tern topic; the full MQTT name travels in the message
 * property {@value #TOPIC}. So millions of MQTT names share a handful of Tern topics, and a native
 * consumer sees every MQTT message of a first level on one topic. A first level that is not a valid Tern
 * name is percent-encoded: every byte of its UTF-8 form outside {@code [A-Za-z0-9._-]} becomes
 * {@code %XX}; the empty first level (a name starting with {@code /}) becomes {@code %}. Decoding is the
 * inverse, so the mapping is one-to-one. A message stored without the property (sent natively) has the
 * decoded Tern topic name as its MQTT topic name.
 */
public final class TopicMapping {
    /** The full MQTT topic name. */
    public static final String TOPIC = "mqtt.topic";
    /** The QoS the publisher used (0, 1 or 2). */
    public static final String QOS = "mqtt.qos";
    /** "true" when the publisher set RETAIN. */
    public static final String RETAIN = "mqtt.retain";
    /** The publishing client's id (for the no-local subscription option). */
    public static final String CLIENT_ID = "mqtt.client";
    /** MQTT 5 message expiry: the epoch ms after which the message is not delivered. */
    public static final String EXPIRES_AT = "mqtt.expires.at";
    /** MQTT 5 response topic. */
    public static final String RESPONSE_TOPIC = "mqtt.response.topic";
    /** MQTT 5 correlation data, Base64. */
    public static final String CORRELATION = "mqtt.correlation";
    /** MQTT 5 content type. */
    public static final String CONTENT_TYPE = "mqtt.content.type";
    /** MQTT 5 payload format indicator (1: UTF-8). */
    public static final String PAYLOAD_FORMAT = "mqtt.payload.format";
    /** Prefix of MQTT 5 user properties: user property {@code k=v} is message property {@code mqtt.user.k=v}. */
    public static final String USER_PREFIX = "mqtt.user.";

    private TopicMapping() {
    }

    /** The Tern topic of an MQTT topic name (or of a filter whose first level has no wildcard). */
    public static String ternTopic(String mqttName) {
        int slash = mqttName.indexOf('/');
        return encodeLevel(slash < 0 ? mqttName : mqttName.substring(0, slash));
    }

    /** The MQTT topic name of a stored message: its property, or else the decoded Tern topic. */
    public static String mqttTopic(StoredMessage m) {
        String name = m.properties().get(TOPIC);
        return name != null ? name : decodeLevel(m.topic());
    }

    static String encodeLevel(String level) {
        if (level.isEmpty()) return "%";
        StringBuilder sb = new StringBuilder(level.length());
        for (byte b : level.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c < 0x80 && (Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-')) sb.append((char) c);
            else sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                    .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
        }
        // a level made only of dots is not a Tern name; encoding its first dot keeps it one-to-one
        if (sb.chars().allMatch(c -> c == '.')) sb.replace(0, 1, "%2E");
        return sb.toString();
    }

    static String decodeLevel(String topic) {
        if (topic.equals("%")) return "";
        if (topic.indexOf('%') < 0) return topic;
        ByteArrayOutputStream out = new ByteArrayOutputStream(topic.length());
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            if (c == '%' && i + 2 < topic.length() + 0 && isHex(topic, i + 1)) {
                out.write(Integer.parseInt(topic, i + 1, i + 3, 16));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static boolean isHex(String s, int at) {
        return at + 1 < s.length() && Character.digit(s.charAt(at), 16) >= 0 && Character.digit(s.charAt(at + 1), 16) >= 0;
    }
}
