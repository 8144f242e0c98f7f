package dev.tern.server.config;

import dev.tern.common.error.TernException;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * A node's configuration, resolved once at start: each key's default, overridden by the file
 * ({@code --config tern.properties}), then by environment variables ({@code TERN_DATA_DIR}...), then by
 * {@code --set key=value}. Unknown keys and invalid values are errors that name the key.
 */
public final class NodeConfig {
    private final Map<String, Object> values = new LinkedHashMap<>();
    private final Map<String, String> sources = new LinkedHashMap<>();

    private NodeConfig() {
    }

    public static NodeConfig resolve(Path file, Map<String, String> env, Map<String, String> sets) {
        NodeConfig c = new NodeConfig();
        for (ConfigKey<?> k : Keys.ALL) c.put(k, k.defaultValue(), "default");
        if (file != null) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException e) {
                throw TernException.invalid("cannot read the configuration file " + file + ": " + e.getMessage());
            }
            for (String name : p.stringPropertyNames()) c.put(known(name, file.toString()), p.getProperty(name), file.toString());
        }
        for (ConfigKey<?> k : Keys.ALL) {
            String v = env.get(k.envName());
            if (v != null) c.put(k, v, "environment " + k.envName());
        }
        sets.forEach((name, v) -> c.put(known(name, "--set"), v, "--set"));
        return c;
    }

    private static ConfigKey<?> known(String name, String where) {
        ConfigKey<?> k = Keys.byName(name);
        if (k == null) throw TernException.invalid("unknown configuration key '" + name + "' in " + where + " (see the README's configuration table)");
        return k;
    }

    private void put(ConfigKey<?> k, String text, String source) {
        values.put(k.name(), k.parse(text));
        sources.put(k.name(), source);
    }

    @SuppressWarnings("unchecked")
    public <T> T get(ConfigKey<T> key) {
        return (T) values.get(key.name());
    }

    /** Where each key's value came from (default, file, environment, --set), for the start-up log. */
    public Map<String, String> sources() {
        return Map.copyOf(sources);
    }
}
