package dev.tern.gateway.mqtt;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class TopicNamesTest {

    @Test
    void filtersMatchNamesAsTheSpecificationSays() {
        assertThat(TopicNames.matches("a/b", "a/b")).isTrue();
        assertThat(TopicNames.matches("a/b", "a/b/c")).isFalse();
        assertThat(TopicNames.matches("a/b/c", "a/b")).isFalse();
        assertThat(TopicNames.matches("a/+", "a/b")).isTrue();
        assertThat(TopicNames.matches("a/+", "a")).isFalse();
        assertThat(TopicNames.matches("a/+", "a/")).isTrue();
        assertThat(TopicNames.matches("+/+", "/")).isTrue();
        assertThat(TopicNames.matches("a/#", "a")).isTrue(); // [MQTT-4.7.1-2]: '#' also matches the parent level
        assertThat(TopicNames.matches("a/#", "a/b/c")).isTrue();
        assertThat(TopicNames.matches("#", "a/b")).isTrue();
        assertThat(TopicNames.matches("#", "$SYS/x")).isFalse(); // [MQTT-4.7.2-1]
        assertThat(TopicNames.matches("+/x", "$SYS/x")).isFalse();
        assertThat(TopicNames.matches("$SYS/#", "$SYS/x")).isTrue();
        assertThat(TopicNames.matches("a//b", "a//b")).isTrue();
        assertThat(TopicNames.matches("a/b", "a/bc")).isFalse();
        assertThat(TopicNames.matches("a/bc", "a/b")).isFalse();
    }

    /** The in-place matcher against the obvious split-based one, over random filters and names. */
    @Test
    void agreesWithMatchingSplitLevelsOnRandomFiltersAndNames() {
        Random random = new Random(42);
        String[] levels = {"a", "b", "", "ab", "$x"};
        for (int i = 0; i < 200_000; i++) {
            String name = randomTopic(random, levels, false);
            String filter = randomTopic(random, levels, true);
            assertThat(TopicNames.matches(filter, name)).as("%s vs %s", filter, name).isEqualTo(bySplitting(filter, name));
        }
    }

    private static String randomTopic(Random random, String[] levels, boolean filter) {
        int n = 1 + random.nextInt(4);
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int pick = random.nextInt(levels.length + (filter ? 2 : 0));
            if (pick == levels.length) parts.add("+");
            else if (pick == levels.length + 1) {
                parts.add("#");
                break;
            } else parts.add(i > 0 && levels[pick].startsWith("$") ? "c" : levels[pick]);
        }
        return String.join("/", parts);
    }

    private static boolean bySplitting(String filter, String name) {
        if (name.startsWith("$") && (filter.startsWith("+") || filter.startsWith("#"))) return false;
        String[] f = filter.split("/", -1);
        String[] n = name.split("/", -1);
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) return true;
            if (i >= n.length) return false;
            if (!f[i].equals("+") && !f[i].equals(n[i])) return false;
        }
        return f.length == n.length;
    }
}
