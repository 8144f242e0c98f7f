package dev.tern.gateway.mqtt;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;

/**
 * An {@link Authenticator} over a fixed list of {@code user:password} pairs ({@code mqtt.auth.users}).
 * An empty list accepts everyone (anonymous access); otherwise a username and its password are required.
 */
public final class CredentialList implements Authenticator {
    private final Map<String, byte[]> passwords = new HashMap<>();

    /** Parses {@code user:pass,user2:pass2}; blank means anonymous access. */
    public static CredentialList parse(String spec) {
        CredentialList list = new CredentialList();
        if (spec == null || spec.isBlank()) return list;
        for (String entry : spec.split(",")) {
            int colon = entry.indexOf(':');
            if (colon <= 0) throw new IllegalArgumentException("expected user:password, got '" + entry.trim() + "'");
            list.passwords.put(entry.substring(0, colon).trim(), entry.substring(colon + 1).getBytes(StandardCharsets.UTF_8));
        }
        return list;
    }

    /** True when no credentials are configured. */
    public boolean anonymous() {
        return passwords.isEmpty();
    }

    @Override
    public boolean authenticate(String clientId, String username, byte[] password) {
        if (passwords.isEmpty()) return true;
        if (username == null || password == null) return false;
        byte[] expected = passwords.get(username);
        // constant-time comparison so response timing does not reveal a password prefix
        return expected != null && MessageDigest.isEqual(expected, password);
    }
}
