package io.labloop.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SpellingTest {

  private static final List<String> KEYS =
      List.of("parameters", "constraints", "workflow", "objectives", "planner", "budget");

  @Test
  void suggestsTheKeyOneTypoAway() {
    assertEquals(Optional.of("parameters"), Spelling.closest("paramters", KEYS));
    assertEquals(Optional.of("objectives"), Spelling.closest("objectivs", KEYS));
  }

  @Test
  void countsSwappedNeighboursAsOneEdit() {
    assertEquals(1, Spelling.distance("wrokflow", "workflow"));
    assertEquals(Optional.of("workflow"), Spelling.closest("wrokflow", KEYS));
  }

  @Test
  void ignoresCase() {
    assertEquals(Optional.of("budget"), Spelling.closest("Budget", KEYS));
  }

  @Test
  void suggestsNothingForADifferentWord() {
    assertEquals(Optional.empty(), Spelling.closest("colour", KEYS));
    assertEquals(Optional.empty(), Spelling.closest("xy", List.of("ab")));
  }

  @Test
  void theHintListsTheChoicesWhenNothingIsClose() {
    assertEquals("did you mean 'planner'?", Spelling.hint("planer", KEYS));
    assertEquals("expected one of a, b", Spelling.hint("zzz", List.of("a", "b")));
  }
}
