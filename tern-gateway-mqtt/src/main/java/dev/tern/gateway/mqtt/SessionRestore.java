package dev.tern.gateway.mqtt;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Brings a saved persistent session back: its subscriptions into the trie, readers for their topics,
 * then the replay of what it missed, while live messages wait behind the {@link Replay.Gate}.
 */
final class SessionRestore {
    private SessionRestore() {
    }

    static void restore(GatewayContext gw, Session s, SessionStore.Saved saved) {
        s.gate().close();
        s.replayFrom = saved.positions();
        List<CompletableFuture<TopicReader>> readers = new ArrayList<>();
        boolean all = false;
        for (Subscription sub : saved.subscriptions()) {
            s.subscriptions.put(sub.clientFilter(), sub);
            gw.sessions().addRoute(s, sub);
            if (SysTopics.isSys(sub.filter())) continue;
            if (TopicNames.rootWildcard(sub.filter())) all = true;
            else readers.add(gw.readers().ensure(TopicMapping.ternTopic(sub.filter())));
        }
        CompletableFuture<Void> ready = CompletableFuture.allOf(readers.toArray(CompletableFuture[]::new));
        if (all) ready = ready.thenCompose(v -> gw.readers().ensureAll());
        ready.thenCompose(v -> {
            Map<String, Long> to = new HashMap<>();
            for (TopicReader r : gw.readers().running()) to.putAll(r.positions());
            return Replay.run(gw.engine(), s, saved.positions(), to).thenApply(x -> to);
        }).whenComplete((to, e) -> {
            s.gate().open(s.outbox, to == null ? Map.of() : to);
            s.replayFrom = Map.of();
        });
    }
}
