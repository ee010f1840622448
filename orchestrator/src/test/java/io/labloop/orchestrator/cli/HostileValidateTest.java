package io.labloop.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code labloop validate} on files made to hurt it (issue 14): every one ends within seconds with
 * FILE:LINE:COLUMN problems and exit code 2, never a hang, a stack trace or exit 1.
 */
class HostileValidateTest {

  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int validate(String... files) {
    CommandLine cmd = new CommandLine(new ValidateCommand());
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(err));
    return assertTimeoutPreemptively(
        Duration.ofSeconds(20), () -> cmd.execute(files), "validate must end");
  }

  /** A valid campaign on the test lab with this constraint and name. */
  private Path campaign(String name, String constraint) throws IOException {
    Path labs = Path.of("src/test/resources/labs/test-lab.yaml").toAbsolutePath();
    Path f = dir.resolve("campaign.yaml");
    Files.writeString(
        f,
        "campaign: "
            + name
            + "\n"
            + "lab: "
            + labs
            + "\n"
            + "parameters:\n"
            + "  temperature:   { type: continuous, min: 40, max: 200, unit: degC }\n"
            + "  time:          { type: continuous, min: 1, max: 60, unit: min, scale: log }\n"
            + "  concentration: { type: continuous, min: 0.1, max: 2.0, unit: mM }\n"
            + "  solvent:       { type: categorical, values: [water, ethanol, ethylene-glycol] }\n"
            + "constraints:\n"
            + "  - \""
            + constraint
            + "\"\n"
            + "workflow:\n"
            + "  - { instrument: robot, command: synthesize,\n"
            + "      args: { temperature: $temperature, time: $time, concentration: $concentration, solvent: $solvent } }\n"
            + "  - { instrument: spectrometer, command: measure, args: { sampleId: $synthesize.sampleId } }\n"
            + "objectives:\n"
            + "  - { name: peak, from: measure.peak, goal: target, value: 520, tolerance: 5 }\n"
            + "planner: { type: random, seed: 42 }\n"
            + "budget: { experiments: 6 }\n");
    return f;
  }

  private void assertOneProblem(int code, String where, String... words) {
    assertEquals(ExitCodes.BAD_INPUT, code, err.toString());
    List<String> lines = err.toString().lines().toList();
    assertTrue(lines.get(0).startsWith(where), lines.toString());
    for (String w : words) assertTrue(lines.get(0).contains(w), lines.get(0));
    assertFalse(
        err.toString().contains("Exception") || err.toString().contains("\tat "), err.toString());
  }

  @Test
  void theGoodCampaignUsedBelowIsOk() throws IOException {
    Path f = campaign("fine", "exp(time / 60) * temperature <= 6000");
    assertEquals(ExitCodes.OK, validate(f.toString()), err.toString());
  }

  // defect 2
  @Test
  void aHugeFactorialEndsAtOnceWithAPositionedProblem() throws IOException {
    Path f = campaign("fact", "FACT(999999999) > 0");
    assertOneProblem(
        validate(f.toString()), f + ":9:5:", "FACT(999999999) > 0", "cannot be evaluated");
  }

  // defect 2
  @Test
  void aFiftyThousandTermConstraintIsAPositionedProblemNotAStackOverflow() throws IOException {
    Path f = campaign("terms", "temperature" + " + time".repeat(50_000) + " <= 1");
    assertOneProblem(validate(f.toString()), f + ":9:5:", "characters");
  }

  // defect 3
  @Test
  void aFifoIsRefusedWithoutWaitingForAWriter() throws Exception {
    Path fifo = dir.resolve("lab.yaml");
    assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
    assertOneProblem(validate(fifo.toString()), fifo + ":1:1:", "not a regular file");
  }

  // defect 3
  @Test
  void devZeroIsRefusedBeforeAnythingIsRead() {
    assertOneProblem(validate("/dev/zero"), "/dev/zero:1:1:", "not a regular file");
  }

  // defect 4
  @Test
  void tenThousandNestedListsAreAPositionedProblem() throws IOException {
    Path f = dir.resolve("deep-lists.yaml");
    Files.writeString(f, "campaign: x\nlab: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n");
    assertOneProblem(validate(f.toString()), f + ":2:", "nested", "deep");
  }

  // defect 4
  @Test
  void tenThousandNestedMapsAndBlockListsArePositionedProblems() throws IOException {
    Path f = dir.resolve("deep-maps.yaml");
    Files.writeString(
        f, "campaign: x\nlab: " + "{k: ".repeat(10_000) + "1" + "}".repeat(10_000) + "\n");
    assertOneProblem(validate(f.toString()), f + ":2:", "nested", "deep");
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    Path g = dir.resolve("deep-block.yaml");
    Files.writeString(g, "campaign: x\nlab:\n" + "- ".repeat(10_000) + "1\n");
    assertOneProblem(validate(g.toString()), g + ":3:", "nested", "deep");
  }

  // defect 1
  @Test
  void aCampaignNameOutsideTheRuleIsRefusedAtItsPosition() throws IOException {
    Path f = campaign("a/b", "temperature <= 100");
    assertOneProblem(validate(f.toString()), f + ":1:11:", "'a/b'", "letters, digits");
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    Path g = campaign("x".repeat(5000), "temperature <= 100");
    assertOneProblem(validate(g.toString()), g + ":1:11:", "5000 characters", "64");
  }
}
