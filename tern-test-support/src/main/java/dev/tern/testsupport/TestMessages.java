package dev.tern.testsupport;

import dev.tern.common.message.Message;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Messages for store tests: plain ones, and ones that use every field of the model. */
public final class TestMessages {

    private TestMessages() {
    }

    public static Message text(String body) {
        return Message.of(body);
    }

    public static Message tagged(String body, String tag) {
        return Message.builder(body.getBytes(StandardCharsets.UTF_8)).tag(tag).build();
    }

    public static Message keyed(String body, String... keys) {
        return Message.builder(body.getBytes(StandardCharsets.UTF_8)).keys(keys).build();
    }

    /** A message of {@code size} body bytes. */
    public static Message sized(int size) {
        return Message.builder(new byte[size]).build();
    }

    /**
     * A message that fills every field with something that could go wrong in an encoding: every byte value
     * in the body, non-ASCII text, empty strings, extreme numbers. Deterministic for a given {@code n}.
     */
    public static Message rich(int n) {
        Random random = new Random(n);
        byte[] body = new byte[n % 7 == 0 ? 0 : 256 + random.nextInt(2048)];
        random.nextBytes(body);
        for (int i = 0; i < Math.min(256, body.length); i++) body[i] = (byte) i;
        Map<String, String> props = new LinkedHashMap<>();
        props.put("n", Integer.toString(n));
        props.put("empty", "");
        props.put("ünïcødé ✓", "värdé " + "\u00ff\u4e2d\ud83d\ude00".repeat(1 + n % 3));
        String tag = switch (n % 3) {
            case 0 -> null;
            case 1 -> "tag-" + n % 5;
            default -> "étiquette";
        };
        return Message.builder(body)
                .keys(List.of("key-" + n, "shared", "ключ-" + n % 4))
                .tag(tag)
                .properties(props)
                .bornTimestamp(n % 2 == 0 ? 0 : 1_700_000_000_000L + n)
                .producer(n % 2 == 0 ? 0 : Long.MAX_VALUE - n, n % 2 == 0 ? -1 : Long.MIN_VALUE + n)
                .build();
    }
}
