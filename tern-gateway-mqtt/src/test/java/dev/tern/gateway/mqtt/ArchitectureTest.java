package dev.tern.gateway.mqtt;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway translates and nothing more: it reaches messages through the engine and its own state
 * through the store SPI's metadata area, never a store implementation, the native protocol or files.
 */
@Timeout(60)
class ArchitectureTest {

    private static final JavaClasses GATEWAY = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.tern.gateway.mqtt..");

    @Test
    void theGatewaySeesTheEngineAndTheStoreSpiOnly() {
        assertThat(GATEWAY.stream().map(c -> c.getSimpleName())).contains("MqttGateway", "TopicTrie", "TopicReader");
        noClasses().that().resideInAPackage("dev.tern.gateway.mqtt..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.tern.store.local..", "dev.tern.store.memory..",
                        "dev.tern.protocol..", "java.nio.file..", "java.nio.channels..")
                .because("a gateway reaches storage only through the engine and tern-store-api")
                .check(GATEWAY);
    }
}
