package dev.tern.engine;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Topic administration through the engine (which validates and then asks the store). */
public interface TopicAdmin {

    CompletableFuture<TopicDescription> create(String name, int queues, Map<String, String> config);

    CompletableFuture<Void> delete(String name);

    /** All topics, sorted by name (system topics included). */
    CompletableFuture<List<TopicDescription>> list();

    CompletableFuture<Optional<TopicDescription>> describe(String name);
}
