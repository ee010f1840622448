package io.labloop.simulators.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.labloop.simulators.SimulationSettings;
import io.labloop.simulators.SimulationSettings.Role;
import io.labloop.simulators.faults.FaultPlan;
import io.labloop.simulators.journal.CommandJournal;
import io.labloop.simulators.world.VirtualWorld;
import io.labloop.simulators.world.WorldModels;
import io.labloop.simulators.world.WorldSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatedInstrumentTest {

  private static SimulatedInstrument instrument(Path dir, Role role, Map<String, Double> drift) {
    VirtualWorld world =
        new VirtualWorld(
            WorldModels.build(new WorldSpec.Expressions(Map.of("y", "2 * x")), dir), dir);
    var settings =
        new SimulationSettings.Instrument(
            "probe",
            role,
            Duration.ZERO,
            role == Role.MEASURER ? List.of("y") : List.of(),
            Map.of(),
            drift);
    return new SimulatedInstrument(
        settings, world, new FaultPlan(Map.of(), 1), new CommandJournal(dir), 0, 7);
  }

  private static double measure(SimulatedInstrument probe, String id) {
    Outcome o = probe.handle("measure", List.of("sampleId"), List.of("y"), Map.of("sampleId", id));
    return ((Number) assertInstanceOf(Outcome.Answer.class, o).outputs().get("y")).doubleValue();
  }

  @Test
  void readingsDriftSlowlyUntilTheInstrumentRestarts(@TempDir Path dir) {
    SimulatedInstrument probe = instrument(dir, Role.MEASURER, Map.of("y", 0.5));
    String id = probe.world().synthesize(Map.of("x", 10.0)).id();
    assertEquals(20.5, measure(probe, id), 1e-12);
    assertEquals(21.0, measure(probe, id), 1e-12);
    probe.restart();
    assertEquals(20.5, measure(probe, id), 1e-12, "a restart loses the drift state");
  }

  @Test
  void aCommandThatIsNeitherSynthesisNorMeasurementAnswersEmpty(@TempDir Path dir) {
    SimulatedInstrument robot = instrument(dir, Role.SYNTHESIZER, Map.of());
    CommandBinding home = new CommandBinding("home", List.of(), List.of("done"), Map.of());
    assertEquals(List.of(), robot.inputsOf(home));
    assertEquals(
        new Outcome.Answer(Map.of()), robot.handle("home", List.of(), List.of(), Map.of()));
    assertEquals(
        List.of("x"), robot.inputsOf(new CommandBinding("make", List.of(), List.of(), Map.of())));
    assertEquals(
        List.of("sampleId"),
        robot.outputsOf(new CommandBinding("make", List.of(), List.of(), Map.of())));
  }

  @Test
  void aCommandKnowsHowLongItsClientWaits() {
    assertEquals(
        java.util.Optional.of(Duration.ofSeconds(30)),
        new CommandBinding("measure", List.of(), List.of(), Map.of("timeout", "30s")).timeout());
    assertEquals(
        java.util.Optional.empty(),
        new CommandBinding("measure", List.of(), List.of(), Map.of()).timeout());
  }

  @Test
  void unknownSamplesAndBadConditionsAreRefusedBeforeAnyWork(@TempDir Path dir) {
    SimulatedInstrument probe = instrument(dir, Role.MEASURER, Map.of());
    Outcome unknown =
        probe.handle("measure", List.of("sampleId"), List.of("y"), Map.of("sampleId", "S-00042"));
    assertEquals(
        new Outcome.Failure(Outcome.Reason.UNKNOWN_SAMPLE, "unknown sample S-00042"), unknown);
    SimulatedInstrument robot = instrument(dir.resolve("r"), Role.SYNTHESIZER, Map.of());
    Outcome bad = robot.handle("make", List.of("x"), List.of("sampleId"), Map.of("x", "lots"));
    assertEquals(Outcome.Reason.BAD_ARGUMENT, ((Outcome.Failure) bad).reason());
  }
}
