package dev.tern.engine;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Storage and compute stay separable: the engine reaches storage only through the store SPI, never a
 * store implementation, files or channels (a remote store must fit behind the same interface).
 */
@Timeout(60)
class ArchitectureTest {

    private static final JavaClasses ENGINE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.tern.engine..");

    @Test
    void theEngineSeesTheStoreSpiOnly() {
        assertThat(ENGINE.stream().map(c -> c.getSimpleName())).contains("DefaultEngine", "Engine", "PullOperation");
        noClasses().that().resideInAPackage("dev.tern.engine..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "dev.tern.store.local..", "dev.tern.store.memory..", "java.nio.file..", "java.nio.channels..")
                .because("the engine must reach storage only through tern-store-api")
                .check(ENGINE);
    }
}
