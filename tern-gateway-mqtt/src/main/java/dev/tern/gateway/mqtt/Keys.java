package dev.tern.gateway.mqtt;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Byte keys of the gateway's metadata entries. */
final class Keys {
    private Keys() {
    }

    static byte[] concat(byte[] prefix, String name) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        byte[] k = Arrays.copyOf(prefix, prefix.length + n.length);
        System.arraycopy(n, 0, k, prefix.length, n.length);
        return k;
    }

    /** The first key after every key starting with {@code prefix} (its last byte incremented; prefixes here end in '/'). */
    static byte[] end(byte[] prefix) {
        byte[] e = prefix.clone();
        e[e.length - 1]++;
        return e;
    }
}
