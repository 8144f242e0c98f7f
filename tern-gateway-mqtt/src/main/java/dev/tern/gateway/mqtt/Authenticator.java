package dev.tern.gateway.mqtt;

/**
 * Decides whether a CONNECT may proceed. The gateway calls it once per connection, on an I/O thread, so it
 * must be quick and thread-safe. Later issues extend this hook with per-topic authorization (ACLs).
 */
@FunctionalInterface
public interface Authenticator {

    /** Lets everyone in. */
    Authenticator ANONYMOUS = (clientId, username, password) -> true;

    /**
     * @param username null when the client sent none
     * @param password null when the client sent none
     * @return true to accept the connection
     */
    boolean authenticate(String clientId, String username, byte[] password);
}
