package dev.tern.gateway.mqtt;

/** A trie entry: a session's subscription. */
record Route(Session session, Subscription subscription) {
}
