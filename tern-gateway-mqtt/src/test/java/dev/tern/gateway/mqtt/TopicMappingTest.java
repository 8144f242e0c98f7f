package dev.tern.gateway.mqtt;

import dev.tern.common.Names;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class TopicMappingTest {

    @Test
    void firstLevelIsTheTernTopic() {
        assertThat(TopicMapping.ternTopic("sensors/a/b")).isEqualTo("sensors");
        assertThat(TopicMapping.ternTopic("sensors")).isEqualTo("sensors");
        assertThat(TopicMapping.ternTopic("/x")).isEqualTo("%");
        assertThat(TopicMapping.ternTopic("$SYS/broker")).isEqualTo("%24SYS");
        assertThat(TopicMapping.ternTopic("häuser/1")).isEqualTo("h%C3%A4user");
    }

    @Test
    void encodingIsReversibleAndAlwaysAValidTernName() {
        for (String level : List.of("", "plain", "with space", "ä€😀", "..", ".", "a%b", "%", "%25", "x.y_z-1", "$SYS")) {
            String topic = TopicMapping.encodeLevel(level);
            assertThat(Names.checkTopic(topic)).isEqualTo(topic);
            assertThat(TopicMapping.decodeLevel(topic)).as(level).isEqualTo(level);
        }
    }

    @Test
    void distinctLevelsGetDistinctTopics() {
        List<String> levels = List.of("", "%", "%25", "a b", "a%20b", ".", "%2E");
        assertThat(levels.stream().map(TopicMapping::encodeLevel).distinct().count()).isEqualTo(levels.size());
    }

    @Test
    void credentialList() {
        CredentialList c = CredentialList.parse("alice:secret, bob:p:w");
        assertThat(c.authenticate("x", "alice", "secret".getBytes())).isTrue();
        assertThat(c.authenticate("x", "bob", "p:w".getBytes())).isTrue();
        assertThat(c.authenticate("x", "alice", "wrong".getBytes())).isFalse();
        assertThat(c.authenticate("x", null, null)).isFalse();
        assertThat(CredentialList.parse("").authenticate("x", null, null)).isTrue();
    }
}
