package dev.tern.engine;

import dev.tern.store.api.MessageStore;

/** Creates engines. The caller owns the store: closing the engine leaves the store open. */
public final class Engines {

    private Engines() {
    }

    /** An engine over {@code store} with {@code config} (validated here) and no metrics. */
    public static Engine create(MessageStore store, EngineConfig config) {
        return create(store, config, EngineMetrics.NONE);
    }

    /**
     * An engine over {@code store}; it registers one append listener with the store (removed on close)
     * and starts its worker threads ({@code tern-engine-N}) and timer ({@code tern-engine-timer}).
     *
     * @throws dev.tern.common.error.TernException INVALID_ARGUMENT when the config does not validate
     */
    public static Engine create(MessageStore store, EngineConfig config, EngineMetrics metrics) {
        if (store == null) throw new IllegalArgumentException("store is required");
        if (config == null) throw new IllegalArgumentException("config is required");
        return new DefaultEngine(store, config.validate(), metrics == null ? EngineMetrics.NONE : metrics);
    }
}
