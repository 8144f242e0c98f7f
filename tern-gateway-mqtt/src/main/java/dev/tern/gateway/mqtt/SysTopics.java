package dev.tern.gateway.mqtt;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code $SYS/broker/...} statistics, published every {@code mqtt.sys.interval.seconds} straight to the
 * matching sessions through the trie (QoS 0, never stored: they describe this node now).
 */
final class SysTopics {
    static final String PREFIX = "$SYS/";
    private final long startedAt = System.currentTimeMillis();

    /** Whether a filter or name is under {@code $SYS/} (which has no Tern topic). */
    static boolean isSys(String filterOrName) {
        return filterOrName.startsWith(PREFIX) || filterOrName.equals("$SYS");
    }

    void publish(Sessions sessions, MqttStats stats) {
        long uptime = (System.currentTimeMillis() - startedAt) / 1000;
        send(sessions, "$SYS/broker/uptime", uptime + " seconds");
        send(sessions, "$SYS/broker/clients/connected", Integer.toString(stats.connections()));
        send(sessions, "$SYS/broker/messages/published", Long.toString(stats.published()));
        send(sessions, "$SYS/broker/messages/delivered", Long.toString(stats.delivered()));
        send(sessions, "$SYS/broker/messages/dropped", Long.toString(stats.dropped()));
        send(sessions, "$SYS/broker/messages/caught up", Long.toString(stats.caughtUp()));
        send(sessions, "$SYS/broker/clients/behind", Integer.toString(stats.behind()));
        send(sessions, "$SYS/broker/retained messages/count", Integer.toString(stats.retained()));
        send(sessions, "$SYS/broker/version", "tern");
    }

    private static void send(Sessions sessions, String topic, String value) {
        sessions.route(new Delivery(topic, value.getBytes(StandardCharsets.UTF_8), 0, false, Map.of(), null, 0, 0, null, 0));
    }
}
