package dev.tern.store.local.meta;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RocksDB's native library is loaded from the data directory, never from java.io.tmpdir: child JVMs (each
 * with its own java.io.tmpdir) open a store or load the library, and the parent reads which file each one
 * has mapped ({@code /proc/PID/maps}), then kills them with SIGKILL, as an operator's {@code kill -9} would.
 */
@Timeout(120)
@EnabledOnOs(OS.LINUX)
class RocksDbLibraryTest {
    @TempDir
    Path dir;
    @TempDir
    Path childTmp;

    @Test
    void aStoreLoadsTheLibraryFromItsDataDirectoryAndLaterStartsReuseIt() throws Exception {
        Path first = runThenKill("store", dir);
        assertThat(first).startsWith(dir.resolve("lib"));
        Object inode = fileKey(first);

        Path second = runThenKill("store", dir);
        assertThat(second).isEqualTo(first);
        // extracting again would have renamed a new file into place
        assertThat(fileKey(second)).isEqualTo(inode);
        assertThat(filesUnder(dir.resolve("lib"))).containsExactly(first);
        assertThat(filesUnder(childTmp)).isEmpty();
    }

    @Test
    void twoJvmsStartingAtOnceEachLoadACompleteCopy() throws Exception {
        Path lib = dir.resolve("lib");
        Process a = start("lib", lib);
        Process b = start("lib", lib);
        try {
            Path fromA = loadedLibrary(a);
            Path fromB = loadedLibrary(b);
            assertThat(fromA).isEqualTo(fromB).startsWith(lib);
            // one copy, and no temporary file left behind by the one whose rename came second
            assertThat(filesUnder(lib)).containsExactly(fromA);
            assertThat(filesUnder(childTmp)).isEmpty();
        } finally {
            a.destroyForcibly();
            b.destroyForcibly();
        }
    }

    /** Starts a child, returns the RocksDB library it has mapped once ready, kills it; checks java.io.tmpdir stayed empty. */
    private Path runThenKill(String mode, Path path) throws Exception {
        Process p = start(mode, path);
        try {
            Path loaded = loadedLibrary(p);
            assertThat(filesUnder(childTmp)).isEmpty();
            p.toHandle().destroyForcibly();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isEqualTo(137);
            assertThat(filesUnder(childTmp)).isEmpty();
            return loaded;
        } finally {
            p.destroyForcibly();
        }
    }

    private Process start(String mode, Path path) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Djava.io.tmpdir=" + childTmp,
                "-cp", System.getProperty("java.class.path"), RocksDbLibraryChild.class.getName(), mode, path.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /** Waits for the child's "ready", then reads the one RocksDB library file its address space maps. */
    private static Path loadedLibrary(Process p) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertThat(in.readLine()).startsWith("ready ");
        List<String> mapped;
        try (Stream<String> maps = Files.lines(Path.of("/proc/" + p.pid() + "/maps"))) {
            mapped = maps.filter(l -> l.contains("rocksdbjni"))
                    .map(l -> l.substring(l.indexOf('/')).replace(" (deleted)", "")).distinct().toList();
        }
        assertThat(mapped).hasSize(1);
        return Path.of(mapped.get(0));
    }

    private static Object fileKey(Path file) throws IOException {
        return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
    }

    private static List<Path> filesUnder(Path d) throws IOException {
        if (!Files.exists(d)) return List.of();
        try (Stream<Path> s = Files.walk(d)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }
}
