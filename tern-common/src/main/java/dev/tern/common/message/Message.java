package dev.tern.common.message;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A message as a producer hands it over: body plus the attributes the store indexes (keys, tag) and
 * carries (properties). Immutable; build one with {@link #builder(byte[])}.
 *
 * @param body           the payload, never null (may be empty)
 * @param keys           business keys, each indexed for lookup by key
 * @param tag            an optional single tag, hashed into the consume index for server-side filtering
 * @param properties     user and system properties, carried verbatim
 * @param bornTimestamp  when the producer created the message (epoch ms), or 0 when unknown
 * @param producerId     the producer's id for de-duplication, or 0 for none
 * @param sequence       the producer's sequence number for de-duplication, or -1 for none
 */
public record Message(byte[] body, List<String> keys, String tag, Map<String, String> properties,
                      long bornTimestamp, long producerId, long sequence) {

    public Message {
        Objects.requireNonNull(body, "body");
        keys = keys == null ? List.of() : List.copyOf(keys);
        properties = properties == null ? PropertyMap.of() : PropertyMap.copyOf(properties);
        if (tag != null && tag.isEmpty()) tag = null;
    }

    /**
     * The reserved property that carries a delayed message's delivery time (epoch ms, decimal): the engine
     * keeps such a message in its timer store and appends it to its queue at that time. Absent, or not in
     * the future, means "now".
     */
    public static final String DELIVER_AT = "tern.deliver.at";

    /** The delivery time from {@link #DELIVER_AT}, 0 when none; fails with NumberFormatException when it is not a number. */
    public long deliverAt() {
        String at = properties.get(DELIVER_AT);
        return at == null ? 0 : Long.parseLong(at.trim());
    }

    public static Builder builder(byte[] body) {
        return new Builder(body);
    }

    public static Message of(String body) {
        return builder(body.getBytes(StandardCharsets.UTF_8)).build();
    }

    public static final class Builder {
        private final byte[] body;
        private List<String> keys = List.of();
        private String tag;
        private Map<String, String> properties = Map.of();
        private long bornTimestamp;
        private long producerId;
        private long sequence = -1;

        private Builder(byte[] body) {
            this.body = body;
        }

        public Builder keys(String... keys) {
            this.keys = List.of(keys);
            return this;
        }

        public Builder keys(List<String> keys) {
            this.keys = keys;
            return this;
        }

        public Builder tag(String tag) {
            this.tag = tag;
            return this;
        }

        public Builder properties(Map<String, String> properties) {
            this.properties = properties;
            return this;
        }

        public Builder bornTimestamp(long bornTimestamp) {
            this.bornTimestamp = bornTimestamp;
            return this;
        }

        public Builder producer(long producerId, long sequence) {
            this.producerId = producerId;
            this.sequence = sequence;
            return this;
        }

        /** Delivers the message at {@code epochMs} (sets {@link #DELIVER_AT}); 0 removes it. */
        public Builder deliverAt(long epochMs) {
            Map<String, String> copy = properties == null ? new LinkedHashMap<>() : new LinkedHashMap<>(properties);
            if (epochMs <= 0) copy.remove(DELIVER_AT);
            else copy.put(DELIVER_AT, Long.toString(epochMs));
            this.properties = copy;
            return this;
        }

        /** Delivers the message {@code delay} from now, by this machine's clock (sets {@link #DELIVER_AT}). */
        public Builder delay(java.time.Duration delay) {
            return deliverAt(System.currentTimeMillis() + delay.toMillis());
        }

        public Message build() {
            return new Message(body, keys, tag, properties, bornTimestamp, producerId, sequence);
        }
    }
}
