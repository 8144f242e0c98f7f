package dev.tern.common.message;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PropertyMapTest {

    @Test
    void behavesAsAMapInTheOrderGiven() {
        PropertyMap m = PropertyMap.of("b", "2", "a", "1", "c", "3");
        assertThat(m).containsExactly(Map.entry("b", "2"), Map.entry("a", "1"), Map.entry("c", "3"));
        assertThat(m.get("a")).isEqualTo("1");
        assertThat(m.get("z")).isNull();
        assertThat(m.get(null)).isNull();
        assertThat(m.containsKey("c")).isTrue();
        assertThat(m).isEqualTo(Map.of("a", "1", "b", "2", "c", "3")).hasSameHashCodeAs(Map.of("a", "1", "b", "2", "c", "3"));
        assertThat(m.name(1)).isEqualTo("a");
        assertThat(m.value(2)).isEqualTo("3");
        StringBuilder walked = new StringBuilder();
        m.forEach((k, v) -> walked.append(k).append(v));
        assertThat(walked).hasToString("b2a1c3");
    }

    @Test
    void theTrustedFactoryGivesTheSameMap() {
        assertThat(PropertyMap.ofDistinct("b", "2", "a", "1")).isEqualTo(PropertyMap.of("b", "2", "a", "1"))
                .containsExactly(Map.entry("b", "2"), Map.entry("a", "1"));
        assertThat(PropertyMap.ofDistinct()).isEmpty();
        assertThatThrownBy(() -> PropertyMap.ofDistinct("a", null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void isImmutable() {
        PropertyMap m = PropertyMap.of("a", "1");
        assertThatThrownBy(() -> m.put("b", "2")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> m.remove("a")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(m::clear).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> m.entrySet().iterator().remove()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void copyKeepsTheSourceOrderAndRefusesNullsLikeMapCopyOf() {
        Map<String, String> linked = new LinkedHashMap<>();
        linked.put("z", "1");
        linked.put("y", "2");
        assertThat(PropertyMap.copyOf(linked).keySet()).containsExactly("z", "y");
        PropertyMap p = PropertyMap.copyOf(linked);
        assertThat(PropertyMap.copyOf(p)).isSameAs(p);
        Map<String, String> withNull = new HashMap<>();
        withNull.put("k", null);
        assertThatThrownBy(() -> PropertyMap.copyOf(withNull)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> PropertyMap.of("k", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> PropertyMap.of("k")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRepeatedNameKeepsItsFirstPlaceAndItsLastValue() {
        PropertyMap m = PropertyMap.ofPairs(new String[] {"a", "1", "b", "2", "a", "3"}, 3);
        assertThat(m).hasSize(2).containsExactly(Map.entry("a", "3"), Map.entry("b", "2"));
    }

    @Test
    void manyEntriesAreFoundThroughTheIndex() {
        String[] pairs = new String[200];
        for (int i = 0; i < 100; i++) {
            pairs[2 * i] = "name" + i;
            pairs[2 * i + 1] = "value" + i;
        }
        PropertyMap m = PropertyMap.ofPairs(pairs, 100);
        for (int i = 0; i < 100; i++) assertThat(m.get("name" + i)).isEqualTo("value" + i);
        assertThat(m.get("name100")).isNull();
        assertThat(m.keySet().stream().limit(3).toList()).isEqualTo(List.of("name0", "name1", "name2"));
        String[] repeated = pairs.clone();
        repeated[198] = "name3";
        assertThat(PropertyMap.ofPairs(repeated, 100)).hasSize(99).containsEntry("name3", "value99");
    }

    @Test
    void messagesKeepTheirPropertiesInTheOrderTheyWereGiven() {
        Map<String, String> linked = new LinkedHashMap<>();
        for (int i = 9; i >= 0; i--) linked.put("p" + i, "v" + i);
        Message m = Message.builder(new byte[0]).properties(linked).build();
        assertThat(m.properties().keySet()).containsExactlyElementsOf(linked.keySet());
    }
}
