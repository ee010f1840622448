package io.labloop.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code labloop validate} as a user runs it: one line per problem, exit code 2, no stack trace.
 */
class ValidateCommandTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int validate(String... files) {
    CommandLine cmd = new CommandLine(new ValidateCommand());
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(err));
    return cmd.execute(files);
  }

  @Test
  void theShippedExamplesAreOk() {
    int code =
        validate(
            "../config/labs/sim-lab.yaml",
            "../config/campaigns/silver-nanoparticles.yaml",
            "../config/campaigns/crystalline-silver.yaml");

    assertEquals(ExitCodes.OK, code, err.toString());
    assertEquals(
        List.of(
            "../config/labs/sim-lab.yaml: ok",
            "../config/campaigns/silver-nanoparticles.yaml: ok",
            "../config/campaigns/crystalline-silver.yaml: ok"),
        out.toString().lines().toList());
    assertEquals("", err.toString());
  }

  @Test
  void everyProblemOfEveryFileIsOneLineAndTheExitCodeIsTwo() {
    int code =
        validate(
            "src/test/resources/invalid/lab-tab.yaml",
            "../config/labs/sim-lab.yaml",
            "src/test/resources/invalid/campaign-misspelt-goal.yaml",
            "src/test/resources/invalid/no-such.yaml");

    assertEquals(ExitCodes.BAD_INPUT, code);
    assertEquals(List.of("../config/labs/sim-lab.yaml: ok"), out.toString().lines().toList());
    assertEquals(
        List.of(
            "src/test/resources/invalid/lab-tab.yaml:21:1: error: a tab character (expected spaces: YAML does not allow tabs for indentation)",
            "src/test/resources/invalid/campaign-misspelt-goal.yaml:15:45: error: 'goal' is 'maximise' (did you mean 'maximize'?)",
            "src/test/resources/invalid/no-such.yaml:1:1: error: file not found (expected an existing file)",
            "3 problems in 3 files"),
        err.toString().lines().toList());
    assertFalse(err.toString().contains("Exception"));
  }
}
