package io.labloop.orchestrator.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.labloop.planners.Objective;
import io.labloop.planners.Parameter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The files shipped in {@code config/} (the test runs in {@code orchestrator/}) are valid and mean
 * what they say.
 */
class ExamplesTest {

  private static final Path CONFIG = Path.of("..", "config");

  /** Without any variable set, so the examples' defaults are what is checked. */
  private final ConfigLoader loader = ConfigLoader.builder().environment(Map.of()).build();

  static Stream<Path> examples() throws IOException {
    try (Stream<Path> labs = Files.list(CONFIG.resolve("labs"));
        Stream<Path> campaigns = Files.list(CONFIG.resolve("campaigns"))) {
      return Stream.concat(labs.toList().stream(), campaigns.toList().stream())
          .filter(p -> p.toString().endsWith(".yaml"))
          .sorted();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void validates(Path file) {
    assertEquals(List.of(), loader.validate(file));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void pointsEditorsAtItsSchema(Path file) throws IOException {
    String first = Files.readAllLines(file).get(0);
    String schema = file.getParent().getFileName().toString().equals("labs") ? "lab" : "campaign";
    assertEquals("# yaml-language-server: $schema=../schema/" + schema + ".schema.json", first);
    assertTrue(Files.isRegularFile(CONFIG.resolve("schema").resolve(schema + ".schema.json")));
  }

  @Test
  void theSimLabHasItsThreeInstrumentsWithInterlockAbortAndLimits() {
    LabConfig lab = loader.loadLab(CONFIG.resolve("labs/sim-lab.yaml"));

    assertEquals(List.of("robot", "spectrometer", "xrd"), List.copyOf(lab.instruments().keySet()));
    InstrumentConfig robot = lab.instrument("robot");
    assertEquals("opcua", robot.driver());
    assertEquals(Optional.of("abort"), robot.abortCommand());
    assertEquals(1, robot.capacity());
    CommandConfig synthesize = robot.commands().get("synthesize");
    assertEquals(Duration.ofMinutes(10), synthesize.timeout());
    assertFalse(synthesize.idempotent());
    assertEquals(List.of("sampleId"), synthesize.outputs());
    assertEquals(Map.of("robot.Door", "Closed"), synthesize.requires());
    assertEquals(250.0, robot.limits().get("temperature").max().getAsDouble());
    assertEquals(
        "opc.tcp://127.0.0.1:4840/labloop",
        robot.spec().section().get("endpoint"),
        "the default of ${ROBOT_ENDPOINT:-...}");
    // A serial command's outputs are the named groups of its reply pattern.
    assertEquals(
        List.of("peak", "fwhm"),
        lab.instrument("spectrometer").commands().get("measure").outputs());
    assertEquals(7L, lab.simulation().orElseThrow().get("seed"));
  }

  @Test
  void theSilverCampaignIsOneTargetOverFourParameters() {
    CampaignConfig c = loader.loadCampaign(CONFIG.resolve("campaigns/silver-nanoparticles.yaml"));

    assertEquals("silver-nanoparticles", c.name());
    assertEquals("sim-lab", c.lab().name());
    assertEquals(List.of("temperature", "time", "concentration", "solvent"), c.space().names());
    assertEquals(
        new Parameter.Continuous("time", 1, 60, Parameter.Scale.LOG, "min"),
        c.space().parameter("time"));
    assertEquals(
        new Parameter.Categorical("solvent", List.of("water", "ethanol", "ethylene-glycol")),
        c.space().parameter("solvent"));
    assertEquals(1, c.space().constraints().size());
    assertEquals(List.of(new Objective.Target("peak", 520, 5)), c.plannerObjectives());
    assertEquals(new CampaignConfig.OutputRef("measure", "peak"), c.objectives().get(0).from());
    assertEquals(
        List.of("synthesize", "measure"), c.workflow().stream().map(WorkflowStep::id).toList());
    assertEquals(
        new WorkflowStep.Arg.OutputArg(new CampaignConfig.OutputRef("synthesize", "sampleId")),
        c.workflow().get(1).args().get("sampleId"));
    assertEquals(
        new WorkflowStep.Arg.ParameterRef("temperature"),
        c.workflow().get(0).args().get("temperature"));
    assertEquals("bayesian", c.planner().type());
    assertEquals(42, c.planner().seed());
    assertEquals(Map.of("initial", 8L, "acquisition", "ei", "batch", 2L), c.planner().options());
    assertEquals(60, c.budget().experiments().getAsInt());
    assertEquals(Optional.of(Duration.ofHours(8)), c.budget().wallTime());
    assertTrue(c.stop().targetReached());
    assertEquals(25, c.stop().noImprovementFor().getAsInt());
    assertEquals(64, c.sha256().length());
  }

  @Test
  void theTwoObjectiveCampaignMaximisesOneAndMinimisesTheOther() {
    CampaignConfig c = loader.loadCampaign(CONFIG.resolve("campaigns/crystalline-silver.yaml"));

    assertEquals(
        List.of(new Objective.Maximize("crystallinity"), new Objective.Minimize("fwhm")),
        c.plannerObjectives());
    assertEquals(CampaignConfig.OnInterrupt.RETRY, c.onInterrupt());
    assertEquals(Optional.of("0 0 6 ? * MON-FRI"), c.schedule());
    assertEquals(
        new Parameter.Discrete("concentration", List.of(0.25, 0.5, 1.0, 2.0), "mM"),
        c.space().parameter("concentration"));
  }

  @Test
  void theArylationCampaignRanksTheRowsOfItsDataset() {
    CampaignConfig c = loader.loadCampaign(CONFIG.resolve("campaigns/direct-arylation.yaml"));

    assertTrue(c.space().pool().isPresent());
    assertTrue(c.space().pool().get().rows().size() > 100, "the dataset's rows are the candidates");
    Parameter base = c.space().parameter("base");
    assertTrue(
        base instanceof Parameter.Categorical k && k.values().size() > 1,
        "values taken from the base column");
    assertTrue(c.space().pool().get().rows().stream().allMatch(c.space()::contains));
  }
}
