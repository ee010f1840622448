package io.labloop.orchestrator.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class RunIdTest {
  @Test
  void theStoreAndTheApiSpellTheSameRun() {
    RunId id = RunId.of("silver-nanoparticles/12");
    assertEquals(new RunId("silver-nanoparticles", 12), id);
    assertEquals("silver-nanoparticles~12", id.api());
    assertEquals("silver-nanoparticles/12", id.toString());
    assertEquals(Optional.of(id), RunId.fromApi(id.api()));
  }

  @Test
  void aCampaignNameIsNotARunId() {
    assertTrue(
        RunId.fromApi("silver").isEmpty(),
        "a campaign waiting for its schedule is known by its name");
    assertTrue(RunId.fromApi("silver~").isEmpty());
    assertTrue(RunId.fromApi("silver~x").isEmpty());
    assertTrue(RunId.fromApi("silver~0").isEmpty());
    assertTrue(RunId.fromApi("silver/2").isEmpty(), "the store's spelling is not an API id");
    assertThrows(IllegalArgumentException.class, () -> RunId.of("silver~2"));
  }

  @Test
  void theLastSeparatorSplitsNameAndNumber() {
    assertEquals(new RunId("a~b", 3), RunId.fromApi("a~b~3").orElseThrow());
  }
}
