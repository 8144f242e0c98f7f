package dev.tern.store.local;

import dev.tern.common.message.Message;
import dev.tern.store.api.Durability;
import dev.tern.store.api.TopicSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.tern.store.local.StoreFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

class LocalStoreSmokeTest {
    @TempDir
    Path dir;

    @Test
    void appendReadRestart() {
        LocalStoreConfig cfg = LocalStoreConfig.defaults(dir).withSegmentBytes(64 * 1024).withMaxMessageBytes(16 * 1024);
        try (LocalStore s = LocalStore.open(cfg)) {
            s.topics().create(new TopicSpec("t", 2)).join();
            for (int i = 0; i < 500; i++) {
                append(s, "t", i % 2, "m" + i, i % 3 == 0 ? Durability.SYNC : Durability.ASYNC);
            }
            s.log().append("t", 0, List.of(Message.builder("k".getBytes()).keys("order-1").tag("A").properties(Map.of("a", "b")).build()), Durability.SYNC).join();
            assertThat(readAll(s, "t", 0)).hasSize(251);
            assertThat(s.lookup().byKey("t", "order-1", 10).join()).hasSize(1);
        }
        try (LocalStore s = LocalStore.open(cfg)) {
            assertThat(bodies(readAll(s, "t", 1))).hasSize(250).startsWith("m1", "m3");
            assertThat(readAll(s, "t", 0)).hasSize(251);
            assertThat(s.lookup().byKey("t", "order-1", 10).join()).hasSize(1);
            assertThat(s.recoveryReport().queuesRebuilt()).isFalse();
        }
    }
}
