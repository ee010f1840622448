package io.labloop.orchestrator.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.labloop.orchestrator.config.CampaignConfig.PriorSource;
import io.labloop.planners.Observation;
import io.labloop.planners.Point;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The planner's {@code prior-data:} as the campaign file gives it, and its files' problems. */
class PriorDataTest {

  private static final Path TEST_LAB = Path.of("src/test/resources/labs/test-lab.yaml");
  private final ConfigLoader loader = ConfigLoader.builder().environment(Map.of()).build();

  @TempDir Path dir;

  private Path campaign(String priorData) throws IOException {
    String text =
        """
        campaign: warm
        lab: elsewhere.yaml
        parameters:
          temperature:   { type: continuous, min: 40, max: 200, unit: degC }
          solvent:       { type: categorical, values: [water, ethanol] }
        workflow:
          - { instrument: robot, command: synthesize,
              args: { temperature: $temperature, time: 5, concentration: 0.5, solvent: $solvent } }
          - { instrument: spectrometer, command: measure, args: { sampleId: $synthesize.sampleId } }
        objectives:
          - { name: peak, from: measure.peak, goal: minimize, unit: nm }
        planner:
          type: bayesian
          seed: 1
          prior-data: %s
        budget: { experiments: 5 }
        """
            .formatted(priorData);
    Path file = dir.resolve("campaign.yaml");
    Files.writeString(file, text);
    return file;
  }

  @Test
  void anExportedFileAndAnEarlierCampaignBecomePriorData() throws IOException {
    // As `labloop export` writes it: units in brackets, achieved values, failed rows.
    Files.writeString(
        dir.resolve("old.csv"),
        """
        run,experiment,status,temperature [degC],temperature achieved [degC],solvent,peak [nm]
        r1,1,DONE,80,81.5,water,512.5
        r1,2,FAILED,120,,ethanol,
        r1,3,DONE,150,,ethanol,498
        """);
    CampaignConfig c =
        loader.loadCampaign(
            campaign("[ { file: old.csv, task: other-batch }, { campaign: first-try } ]"),
            Optional.of(TEST_LAB));

    assertEquals(2, c.priorData().size());
    PriorSource.FromFile file = (PriorSource.FromFile) c.priorData().get(0);
    assertEquals("other-batch", file.task());
    assertEquals(
        List.of(
            Observation.ok(
                new Point(Map.of("temperature", 81.5, "solvent", "water")), Map.of("peak", 512.5)),
            Observation.ok(
                new Point(Map.of("temperature", 150.0, "solvent", "ethanol")),
                Map.of("peak", 498.0))),
        file.observations());
    assertEquals(new PriorSource.FromCampaign("first-try", ""), c.priorData().get(1));
    assertEquals(
        Map.of(), c.planner().options(), "the planner is not given prior-data as an option");
  }

  @Test
  void aColumnInAnotherUnitIsReportedAtItsHeaderCell() throws IOException {
    Files.writeString(
        dir.resolve("old.csv"), "solvent,temperature [K],peak [nm]\nwater,353.15,512\n");
    Path file = campaign("[ { file: old.csv } ]");

    ConfigException e =
        assertThrows(ConfigException.class, () -> loader.loadCampaign(file, Optional.of(TEST_LAB)));

    assertEquals(
        List.of(
            new ConfigProblem(
                dir.resolve("old.csv").toString(),
                1,
                9,
                "column 'temperature' is in K, the campaign's temperature in degC (nothing is"
                    + " converted; convert the column or fix the campaign)")),
        e.problems());
  }

  @Test
  void aRowOutsideTheSpaceIsReportedAtItsLineAndColumn() throws IOException {
    Files.writeString(
        dir.resolve("old.csv"),
        "solvent,temperature,peak\nwater,80,512\nethanol,250,498\nmethanol,90,505\n");
    Path file = campaign("[ { file: old.csv } ]");

    ConfigException e =
        assertThrows(ConfigException.class, () -> loader.loadCampaign(file, Optional.of(TEST_LAB)));

    String csv = dir.resolve("old.csv").toString();
    assertEquals(
        List.of(
            new ConfigProblem(
                csv,
                3,
                9,
                "250 is not an allowed value of temperature (expected a number from 40 to 200)"),
            new ConfigProblem(
                csv, 4, 1, "'methanol' is not a value of solvent (did you mean 'ethanol'?)")),
        e.problems());
  }

  @Test
  void anEntryMustNameACampaignOrAFile() throws IOException {
    Path file = campaign("[ { task: x } ]");

    ConfigException e =
        assertThrows(ConfigException.class, () -> loader.loadCampaign(file, Optional.of(TEST_LAB)));

    assertEquals(
        List.of(
            new ConfigProblem(
                file.toString(), 15, 17, "name either campaign: or file: (expected one of them)")),
        e.problems());
  }
}
