package dev.tern.gateway.mqtt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class TopicTrieTest {

    private static List<String> match(TopicTrie<String, String> t, String name) {
        List<String> out = new ArrayList<>();
        t.match(name, (owner, v) -> out.add(v));
        return out;
    }

    @Test
    void matchesExactPlusAndHash() {
        TopicTrie<String, String> t = new TopicTrie<>();
        for (String f : List.of("a/b/c", "a/+/c", "a/#", "#", "+/b/+", "a/b", "+", "/+", "a/+")) t.add(f, f, f);
        assertThat(match(t, "a/b/c")).containsExactlyInAnyOrder("a/b/c", "a/+/c", "a/#", "#", "+/b/+");
        assertThat(match(t, "a")).containsExactlyInAnyOrder("a/#", "#", "+");
        assertThat(match(t, "a/b")).containsExactlyInAnyOrder("a/b", "a/#", "#", "a/+");
        assertThat(match(t, "/x")).containsExactlyInAnyOrder("#", "/+");
        assertThat(match(t, "b/b/b")).containsExactlyInAnyOrder("#", "+/b/+");
    }

    @Test
    void dollarTopicsAreNotMatchedByARootWildcard() {
        TopicTrie<String, String> t = new TopicTrie<>();
        t.add("#", "1", "#");
        t.add("+/stats", "2", "+/stats");
        t.add("$SYS/#", "3", "$SYS/#");
        assertThat(match(t, "$SYS/stats")).containsExactly("$SYS/#");
    }

    @Test
    void removeForgetsOneOwnerAndPrunes() {
        TopicTrie<String, String> t = new TopicTrie<>();
        t.add("a/+", "s1", "one");
        t.add("a/+", "s2", "two");
        assertThat(t.remove("a/+", "s1")).isEqualTo("one");
        assertThat(match(t, "a/x")).containsExactly("two");
        assertThat(t.remove("a/+", "s2")).isEqualTo("two");
        assertThat(t.remove("a/+", "s2")).isNull();
        assertThat(match(t, "a/x")).isEmpty();
    }

    @Test
    void filterValidationAndSingleMatch() {
        assertThat(TopicNames.validFilter("a/+/b/#")).isTrue();
        assertThat(TopicNames.validFilter("a/#/b")).isFalse();
        assertThat(TopicNames.validFilter("a+/b")).isFalse();
        assertThat(TopicNames.validName("a/+")).isFalse();
        assertThat(TopicNames.validName("a\u0000b")).isFalse();
        assertThat(TopicNames.matches("a/#", "a")).isTrue();
        assertThat(TopicNames.matches("+/+", "a/b")).isTrue();
        assertThat(TopicNames.matches("+/+", "a/b/c")).isFalse();
        assertThat(TopicNames.matches("#", "$SYS/x")).isFalse();
    }
}
