package dev.tern.engine;

import java.nio.charset.StandardCharsets;

/**
 * MurmurHash3 (x86, 32-bit, seed 0) of a key's UTF-8 bytes: the stable, language-neutral hash that maps
 * a message key to a queue, so that any client can predict where a key goes.
 */
public final class KeyHash {
    private static final int C1 = 0xcc9e2d51, C2 = 0x1b873593;

    private KeyHash() {
    }

    /** The queue of {@code key} among {@code queues}: the hash's non-negative part modulo the count. */
    public static int queueOf(String key, int queues) {
        return (murmur3(key.getBytes(StandardCharsets.UTF_8)) & 0x7fffffff) % queues;
    }

    static int murmur3(byte[] data) {
        int h = 0;
        int i = 0;
        for (; i + 4 <= data.length; i += 4) {
            int k = (data[i] & 0xff) | (data[i + 1] & 0xff) << 8 | (data[i + 2] & 0xff) << 16 | (data[i + 3] & 0xff) << 24;
            h ^= mixK(k);
            h = Integer.rotateLeft(h, 13) * 5 + 0xe6546b64;
        }
        int rest = data.length & 3;
        if (rest > 0) {
            int k = 0;
            if (rest == 3) k ^= (data[i + 2] & 0xff) << 16;
            if (rest >= 2) k ^= (data[i + 1] & 0xff) << 8;
            k ^= data[i] & 0xff;
            h ^= mixK(k);
        }
        h ^= data.length;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }

    private static int mixK(int k) {
        return Integer.rotateLeft(k * C1, 15) * C2;
    }
}
