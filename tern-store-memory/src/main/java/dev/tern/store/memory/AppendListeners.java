package dev.tern.store.memory;

import dev.tern.store.api.AppendListener;

import java.util.concurrent.CopyOnWriteArrayList;

/** The registered {@link AppendListener}s of one store. A listener that throws does not stop the others. */
final class AppendListeners {
    private static final System.Logger LOG = System.getLogger(AppendListeners.class.getName());

    /** One per registration (identity equality), so that removing one of a listener added twice keeps the other. */
    private static final class Registration {
        private final AppendListener listener;

        Registration(AppendListener listener) {
            this.listener = listener;
        }
    }

    private final CopyOnWriteArrayList<Registration> registrations = new CopyOnWriteArrayList<>();

    AutoCloseable add(AppendListener listener) {
        Registration r = new Registration(listener);
        registrations.add(r);
        return () -> registrations.remove(r);
    }

    void appended(String topic, int queue, long nextOffset) {
        for (Registration r : registrations) {
            try {
                r.listener.appended(topic, queue, nextOffset);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "append listener " + r.listener + " failed", e);
            }
        }
    }

    void clear() {
        registrations.clear();
    }
}
