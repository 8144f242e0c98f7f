package dev.tern.server.cli;

import dev.tern.client.ReceivedMessage;
import dev.tern.common.message.StoredMessage;

import java.util.List;
import java.util.Map;

/** One consumed message as one line of JSON (for {@code tern consume --json}). */
final class Json {
    private Json() {
    }

    static String of(ReceivedMessage r) {
        StoredMessage m = r.message();
        StringBuilder b = new StringBuilder(128 + m.body().length);
        b.append("{\"topic\":").append(str(r.topic())).append(",\"queue\":").append(r.queue())
                .append(",\"offset\":").append(r.offset()).append(",\"id\":").append(str(m.messageId().toString()))
                .append(",\"keys\":").append(list(m.keys())).append(",\"tag\":").append(m.tag() == null ? "null" : str(m.tag()))
                .append(",\"properties\":").append(map(m.properties()))
                .append(",\"bornTimestamp\":").append(m.bornTimestamp()).append(",\"storeTimestamp\":").append(m.storeTimestamp())
                .append(",\"body\":").append(str(m.bodyAsString())).append('}');
        return b.toString();
    }

    private static String list(List<String> items) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < items.size(); i++) b.append(i == 0 ? "" : ",").append(str(items.get(i)));
        return b.append(']').toString();
    }

    private static String map(Map<String, String> m) {
        StringBuilder b = new StringBuilder("{");
        boolean first = true;
        for (Map.Entry<String, String> e : m.entrySet()) {
            b.append(first ? "" : ",").append(str(e.getKey())).append(':').append(str(e.getValue()));
            first = false;
        }
        return b.append('}').toString();
    }

    static String str(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c)); else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }
}
