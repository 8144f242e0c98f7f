package dev.tern.client;

/** What a {@link TransactionListener} says of its local transaction. */
public enum LocalOutcome {
    /** Done: the broker stores the messages. */
    COMMIT,
    /** Undone: the broker drops the messages. */
    ROLLBACK,
    /** Not known yet: the broker asks again later through {@link TransactionListener#check}. */
    UNKNOWN
}
