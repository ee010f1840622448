package io.labloop.orchestrator.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.labloop.planners.Parameter;
import io.labloop.planners.Point;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Campaign features beyond the shipped examples, each as a researcher would write it. */
class CampaignLoaderTest {

  private static final Path TEST_LAB = Path.of("src/test/resources/labs/test-lab.yaml");

  private final ConfigLoader loader = ConfigLoader.builder().environment(Map.of()).build();

  @TempDir Path dir;

  /**
   * A campaign on the test lab (passed as an override) with the given parameters, constraints and
   * extra keys.
   */
  private Path campaign(String parameters, String extra) throws IOException {
    String text =
        """
        campaign: t
        lab: elsewhere.yaml
        parameters:
        %s
        workflow:
          - { instrument: robot, command: synthesize,
              args: { temperature: $temperature, time: $time, concentration: $concentration, solvent: $solvent } }
          - { id: first, instrument: spectrometer, command: measure, args: { sampleId: $synthesize.sampleId } }
          - { id: second, instrument: spectrometer, command: measure, args: { sampleId: $synthesize.sampleId } }
        objectives:
          - { name: peak, from: second.peak, goal: minimize }
        planner: { type: sobol, seed: 1 }
        budget: { experiments: 5 }
        %s
        """
            .formatted(parameters.indent(2).stripTrailing(), extra);
    Path file = dir.resolve("campaign.yaml");
    Files.writeString(file, text);
    return file;
  }

  private static final String PARAMETERS =
      """
      temperature:   { type: continuous, min: 40, max: 200 }
      time:          { type: integer, min: 1, max: 60 }
      concentration: { type: continuous, min: 0.1, max: 1 }
      solvent:       { type: categorical, values: [water, ethanol] }
      """;

  @Test
  void repeatedCommandsAreToldApartByTheirIds() throws IOException {
    CampaignConfig c = loader.loadCampaign(campaign(PARAMETERS, ""), Optional.of(TEST_LAB));

    assertEquals(
        List.of("synthesize", "first", "second"),
        c.workflow().stream().map(WorkflowStep::id).toList());
    assertEquals(new CampaignConfig.OutputRef("second", "peak"), c.objectives().get(0).from());
    assertEquals("test-lab", c.lab().name(), "the override wins over the file's lab:");
  }

  @Test
  void anEqualityConstraintIsSatisfiableWhenItsSidesCrossEvenIfNoSampleHitsItExactly()
      throws IOException {
    CampaignConfig c =
        loader.loadCampaign(
            campaign(
                PARAMETERS,
                """
        constraints:
          - "concentration + temperature / 400 == 0.5"
        """),
            Optional.of(TEST_LAB));

    assertEquals(1, c.space().constraints().size());
  }

  @Test
  void anEqualityOutsideTheRangeIsReportedWithTheSpreadItHas() throws IOException {
    Path file =
        campaign(
            PARAMETERS,
            """
        constraints:
          - "concentration + temperature / 400 == 3"
        """);

    ConfigException e =
        assertThrows(ConfigException.class, () -> loader.loadCampaign(file, Optional.of(TEST_LAB)));

    assertEquals(
        List.of(
            new ConfigProblem(
                file.toString(),
                18,
                5,
                "'concentration + temperature / 400 == 3' never holds in the"
                    + " parameter ranges: concentration + temperature / 400 is between 0.2 and 1.5 over 4000 sampled points"
                    + " (expected a constraint that some conditions satisfy)")),
        e.problems());
  }

  @Test
  void achievedValuesPointAtStepOutputs() throws IOException {
    CampaignConfig c =
        loader.loadCampaign(
            campaign(
                PARAMETERS,
                """
        achieved: { temperature: first.peak }
        approval: manual
        """),
            Optional.of(TEST_LAB));

    assertEquals(
        Map.of("temperature", new CampaignConfig.OutputRef("first", "peak")), c.achieved());
    assertEquals(CampaignConfig.Approval.MANUAL, c.approval());
  }

  @Test
  void aLiteralArgumentOverAnInstrumentLimitIsReportedAtTheLiteral() throws IOException {
    Path file =
        campaign(
                PARAMETERS.replace("temperature:   { type: continuous, min: 40, max: 200 }\n", ""),
                "")
            .getParent()
            .resolve("campaign.yaml");
    Files.writeString(
        file, Files.readString(file).replace("temperature: $temperature", "temperature: 400"));

    ConfigException e =
        assertThrows(ConfigException.class, () -> loader.loadCampaign(file, Optional.of(TEST_LAB)));

    assertEquals(
        List.of(
            new ConfigProblem(
                file.toString(),
                9,
                28,
                "argument temperature = 400 is outside robot's limit"
                    + " (expected a value from 20 to 250, the limit of robot in test-lab.yaml)")),
        e.problems());
  }

  @Test
  void aCandidatePoolFillsInValuesAndTypesEachColumnByItsParameter() throws IOException {
    Files.writeString(
        dir.resolve("pool.csv"),
        """
        solvent,temperature,time,concentration,yield
        water,80,10,0.5,12.5
        "ethanol",120,5,0.25,40
        glycol,150,20,0.5,3
        """);
    CampaignConfig c =
        loader.loadCampaign(
            campaign(
                """
        temperature:   { type: continuous, min: 40, max: 200 }
        time:          { type: integer, min: 1, max: 60 }
        concentration: { type: discrete }
        solvent:       { type: categorical }
        """,
                "candidates: { file: pool.csv }"),
            Optional.of(TEST_LAB));

    assertEquals(
        new Parameter.Categorical("solvent", List.of("water", "ethanol", "glycol")),
        c.space().parameter("solvent"));
    assertEquals(
        new Parameter.Discrete("concentration", List.of(0.5, 0.25), ""),
        c.space().parameter("concentration"));
    assertEquals(
        new Point(
            Map.of("temperature", 120.0, "time", 5.0, "concentration", 0.25, "solvent", "ethanol")),
        c.space().pool().orElseThrow().rows().get(1));
  }

  @Test
  void aPoolWithoutAParametersColumnIsReportedInTheCsvHeader() throws IOException {
    Files.writeString(
        dir.resolve("pool.csv"), "solvent,temp,time,concentration\nwater,80,10,0.5\n");
    Path file = campaign(PARAMETERS, "candidates: { file: pool.csv }");

    ConfigException e =
        assertThrows(ConfigException.class, () -> loader.loadCampaign(file, Optional.of(TEST_LAB)));

    assertEquals(
        List.of(
            new ConfigProblem(
                dir.resolve("pool.csv").toString(),
                1,
                1,
                "no column 'temperature' (expected a column for every parameter; columns are solvent, temp, time, concentration)")),
        e.problems());
  }

  @Test
  void aCampaignSentAsTextIsReportedUnderItsDisplayNameAndFindsItsLabFromTheBaseDirectory() {
    String text =
        """
        campaign: posted
        lab: ../labs/test-lab.yaml
        parameters:
          temperature: { type: continuous, min: 40, max: 200 }
        workflow:
          - { instrument: robot, command: synthesize, args: { temperature: $temperature, time: 5, concentration: 1, solvent: water } }
        objectives:
          - { name: id, from: synthesize.sampleId, goal: maximize }
        planner: { type: random }
        budget: { wall-time: 30m }
        stop: { target-reached: true }
        """;

    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                loader.loadCampaign(
                    "POST /campaigns",
                    text,
                    Path.of("src/test/resources/invalid"),
                    Optional.empty()));

    assertEquals(
        List.of(
            new ConfigProblem(
                "POST /campaigns",
                11,
                25,
                "target-reached with no target objective (expected an objective with goal: target)")),
        e.problems());
  }

  @Test
  void everyProblemIsReportedNotOnlyTheFirst() throws IOException {
    Path file =
        campaign(
            PARAMETERS
                .replace("max: 200", "max: 20")
                .replace("values: [water, ethanol]", "values: []"),
            "on-interrupt: later");

    ConfigException e =
        assertThrows(ConfigException.class, () -> loader.loadCampaign(file, Optional.of(TEST_LAB)));

    assertEquals(List.of(4, 7, 17), e.problems().stream().map(ConfigProblem::line).toList());
  }
}
