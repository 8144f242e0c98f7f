package dev.tern.server;

import dev.tern.common.error.TernException;
import dev.tern.server.config.ConfigKey;
import dev.tern.server.config.Keys;
import dev.tern.server.config.NodeConfig;
import dev.tern.store.api.Durability;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NodeConfigTest {
    @TempDir
    Path dir;

    @Test
    void defaultsThenFileThenEnvironmentThenSet() throws Exception {
        Path file = dir.resolve("tern.properties");
        Files.writeString(file, "native.port=7700\nhttp.port=7780\nstore.flush=sync\n");
        NodeConfig c = NodeConfig.resolve(file, Map.of("TERN_HTTP_PORT", "7781", "UNRELATED", "x"), Map.of("store.flush", "async"));
        assertThat(c.get(Keys.NATIVE_PORT)).isEqualTo(7700);
        assertThat(c.get(Keys.HTTP_PORT)).isEqualTo(7781);
        assertThat(c.get(Keys.STORE_FLUSH)).isEqualTo(Durability.ASYNC);
        assertThat(c.get(Keys.DATA_DIR)).isEqualTo("./data");
        assertThat(c.sources()).containsEntry("http.port", "environment TERN_HTTP_PORT").containsEntry("store.flush", "--set");
    }

    @Test
    void unknownKeysAndBadValuesNameTheKey() {
        assertThatThrownBy(() -> NodeConfig.resolve(null, Map.of(), Map.of("native.prot", "1")))
                .isInstanceOf(TernException.class).hasMessageContaining("native.prot");
        assertThatThrownBy(() -> NodeConfig.resolve(null, Map.of(), Map.of("native.port", "99999")))
                .isInstanceOf(TernException.class).hasMessageContaining("native.port");
        assertThatThrownBy(() -> NodeConfig.resolve(null, Map.of(), Map.of("store.flush", "sometimes")))
                .isInstanceOf(TernException.class).hasMessageContaining("store.flush").hasMessageContaining("async or sync");
        assertThatThrownBy(() -> NodeConfig.resolve(dir.resolve("missing.properties"), Map.of(), Map.of()))
                .isInstanceOf(TernException.class).hasMessageContaining("missing.properties");
    }

    @Test
    void theReadmeDocumentsEveryKeyWithItsDefault() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        for (ConfigKey<?> k : Keys.ALL) {
            assertThat(readme).as("README row for %s", k.name()).contains("| `" + k.name() + "` | `" + k.defaultValue() + "` |");
        }
    }
}
