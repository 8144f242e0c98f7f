package dev.tern.gateway.mqtt;

import dev.tern.store.api.Durability;
import dev.tern.store.local.LocalStore;
import dev.tern.store.local.LocalStoreConfig;
import dev.tern.testsupport.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(30)
class SessionStoreTest {
    @TempDir
    Path dir;

    @Test
    void savesLoadsAndPurgesOnlyExpiredOfflineSessionsWithTheirQos2Ids() {
        try (LocalStore store = LocalStore.open(LocalStoreConfig.defaults(dir).withSegmentBytes(64L << 20));
             StoreLanes lanes = new StoreLanes(2)) {
            ReleaseStore releases = new ReleaseStore(store.metadata(), Durability.SYNC, lanes);
            SessionStore sessions = new SessionStore(store.metadata(), releases, Durability.SYNC, lanes);
            Subscription sub = new Subscription("a/+", null, 1, true, false, 2, 9);
            Await.result(sessions.save("forever", new SessionStore.Saved(-1, 1_000, List.of(sub), Map.of("a#0", 5L))));
            Await.result(sessions.save("expired", new SessionStore.Saved(10, 1_000, List.of(sub), Map.of())));
            Await.result(sessions.save("expired-but-connected", new SessionStore.Saved(10, 1_000, List.of(), Map.of())));
            Await.result(sessions.save("fresh", new SessionStore.Saved(10, 50_000, List.of(), Map.of())));
            Await.result(releases.add("forever", List.of(1, 65535)));
            Await.result(releases.add("expired", List.of(7)));
            Await.result(releases.add("forever/x", List.of(3))); // a client id extending another one is not its session
            assertThat(Await.result(sessions.purgeExpired(20_000, id -> id.equals("expired-but-connected")))).isEqualTo(1);
            assertThat(Await.result(releases.load("forever"))).containsExactly(1, 65535);
            assertThat(Await.result(releases.load("expired"))).as("deleted with its session").isEmpty();
            Await.result(releases.remove("forever", 1));
            assertThat(Await.result(releases.load("forever"))).containsExactly(65535);
            SessionStore.Saved forever = Await.result(sessions.load("forever")).orElseThrow();
            assertThat(forever.subscriptions()).containsExactly(sub);
            assertThat(forever.positions()).containsEntry("a#0", 5L);
            assertThat(Await.result(sessions.load("expired"))).isEmpty();
            assertThat(Await.result(sessions.load("expired-but-connected"))).isPresent();
            assertThat(Await.result(sessions.load("fresh"))).isPresent();
            Await.result(sessions.delete("forever"));
            assertThat(Await.result(sessions.load("forever"))).isEmpty();
            assertThat(Await.result(releases.load("forever"))).isEmpty();
            assertThat(Await.result(releases.load("forever/x"))).containsExactly(3);
        }
    }
}
