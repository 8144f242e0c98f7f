package dev.tern.common.codec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Jazzer seed corpus kept in the repository (src/test/resources/PACKAGE/TESTInputs/METHOD/), checked
 * against the seeds a test generates: the directory must hold exactly those files, byte for byte. With
 * {@code -Dtern.fuzz.writeSeeds=true} it is (re)written first. Shared with other modules' fuzz tests.
 */
public final class FuzzSeeds {
    private FuzzSeeds() {
    }

    public static void check(Path dir, Map<String, byte[]> seeds) throws IOException {
        if (Boolean.getBoolean("tern.fuzz.writeSeeds")) {
            Files.createDirectories(dir);
            for (Map.Entry<String, byte[]> s : seeds.entrySet()) Files.write(dir.resolve(s.getKey()), s.getValue());
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrderElementsOf(seeds.keySet());
        }
        for (Map.Entry<String, byte[]> s : seeds.entrySet()) assertThat(dir.resolve(s.getKey())).hasBinaryContent(s.getValue());
    }
}
