package dev.tern.gateway.mqtt;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Brings a saved persistent session back: it starts behind ({@link CatchUp}) at its saved positions, its
 * subscriptions go into the trie and readers start for their topics; then the catch-up reads what it missed
 * from the log and hands each queue over to live routing. Below where the readers stood at the reconnect only
 * QoS 1/2 matches are delivered; from there on every match, at its granted QoS.
 */
final class SessionRestore {
    private SessionRestore() {
    }

    /** The QoS 2 ids the store holds as awaiting release: a PUBLISH sent again is answered, not stored again. */
    static void awaitRelease(Session s, java.util.Set<Integer> ids) {
        s.stored = true;
        for (int id : ids) {
            s.awaitingRelease.put(id, CompletableFuture.completedFuture(null));
            s.recordedReleases.add(id);
        }
    }

    static void restore(GatewayContext gw, Session s, SessionStore.Saved saved) {
        s.catchUp.restore(saved.positions());
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
        ready.whenComplete((v, e) -> {
            Map<String, Long> at = new HashMap<>();
            for (TopicReader r : gw.readers().running()) at.putAll(r.positions());
            s.catchUp.start(at);
        });
    }
}
