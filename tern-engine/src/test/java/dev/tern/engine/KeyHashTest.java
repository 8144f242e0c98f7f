package dev.tern.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class KeyHashTest {

    private static int murmur(String s) {
        return KeyHash.murmur3(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void matchesTheReferenceMurmur3Vectors() {
        assertThat(murmur("")).isEqualTo(0);
        assertThat(murmur("hello")).isEqualTo(0x248bfa47);
        assertThat(murmur("The quick brown fox jumps over the lazy dog")).isEqualTo(0x2e4ff723);
    }

    @Test
    void queuesAreInRangeAndSpread() {
        int[] counts = new int[16];
        for (int i = 0; i < 16_000; i++) {
            int q = KeyHash.queueOf("key-" + i, 16);
            assertThat(q).isBetween(0, 15);
            counts[q]++;
        }
        for (int c : counts) assertThat(c).isBetween(800, 1200);
        assertThat(KeyHash.queueOf("anything", 1)).isZero();
    }
}
