package io.labloop.orchestrator.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The corpus of broken files under {@code src/test/resources/invalid}: each must produce exactly
 * the one problem a researcher needs, at the right line and column, and nothing else (no follow-on
 * errors that send them looking in the wrong place).
 */
class InvalidFilesTest {

  private static final Path DIR = Path.of("src/test/resources/invalid");

  /** No environment variables: {@code ${NAME}} without a default is an error. */
  private final ConfigLoader loader = ConfigLoader.builder().environment(Map.of()).build();

  static Stream<Arguments> corpus() {
    return Stream.of(
        // syntax and encoding
        row(
            "lab-tab.yaml",
            21,
            1,
            "a tab character (expected spaces: YAML does not allow tabs for indentation)"),
        row(
            "lab-bad-indentation.yaml",
            5,
            4,
            "bad indentation: this line is not lined up with the keys above it (expected the same indentation as its siblings)"),
        row("lab-empty.yaml", 1, 1, "the file is empty (expected a lab: or campaign: document)"),
        row(
            "lab-comments-only.yaml",
            1,
            1,
            "the file is empty (expected a lab: or campaign: document)"),
        row("binary.yaml", 3, 3, "binary content: a NUL byte (expected a UTF-8 text file)"),
        row(
            "latin1.yaml",
            1,
            9,
            "binary content: byte 0xE9 is not UTF-8 (expected a UTF-8 text file)"),
        row(
            "lab-duplicate-key.yaml",
            24,
            5,
            "duplicate key 'baud' (expected each key once; first at line 23)"),
        row(
            "two-documents.yaml",
            30,
            1,
            "a second YAML document (expected one document per file; remove the '---')"),
        row(
            "top-level-list.yaml",
            1,
            1,
            "got a list at the top (expected a map starting with 'lab:' or 'campaign:')"),
        row(
            "neither-lab-nor-campaign.yaml",
            1,
            1,
            "neither 'lab:' nor 'campaign:' at the top (expected a lab file or a campaign file; found experiment, steps)"),
        // lab files
        row(
            "lab-unknown-key.yaml",
            2,
            1,
            "unknown key 'colour' (expected one of lab, description, instruments, simulation, agents)"),
        row(
            "lab-misspelt-key.yaml",
            2,
            1,
            "unknown key 'instrumnets' (did you mean 'instruments'?)"),
        row(
            "lab-wrong-type.yaml",
            18,
            15,
            "wrong type for 'capacity': got 'two' (expected a whole number >= 1)"),
        row(
            "lab-limit-min-above-max.yaml",
            19,
            37,
            "limit max 20 is below min 250 (expected min <= max)"),
        row(
            "lab-unknown-abort-command.yaml",
            17,
            12,
            "abort command 'stpo' is not a command of robot (did you mean 'stop'?)"),
        row(
            "lab-unknown-health-command.yaml",
            17,
            13,
            "health command 'identfy' is not a command of spectrometer (did you mean 'identify'?)"),
        row(
            "lab-health-not-idempotent.yaml",
            12,
            13,
            "health command 'measure' is not idempotent (expected a command that is safe to send"
                + " again and again, such as *IDN? or a status read, marked idempotent: true)"),
        row("lab-unknown-driver.yaml", 4, 13, "unknown driver 'opcuaa' (did you mean 'opcua'?)"),
        row(
            "lab-missing-env.yaml",
            5,
            15,
            "environment variable ROBOT_HOST is not set (expected it to be set, or a default: ${ROBOT_HOST:-value})"),
        row(
            "lab-unknown-interlock-variable.yaml",
            13,
            21,
            "interlock on unknown variable 'Dor' of robot (did you mean 'Door'?)"),
        row("lab-driver-setting.yaml", 23, 11, "baud: expected a whole number, got 'fast'"),
        row(
            "lab-sila2-server-and-discover.yaml",
            6,
            15,
            "'server' and 'discover' exclude each other: give the address or the name to"
                + " look for"),
        row(
            "lab-missing-commands.yaml",
            21,
            5,
            "missing 'commands' (expected a map of the commands the instrument accepts)"),
        row(
            "lab-bad-timeout.yaml",
            16,
            18,
            "'timeout' is 'soon' (expected a duration with a unit, e.g. 90s, 30m, 8h or 1h30m)"),
        row(
            "lab-simulation-unknown-instrument.yaml",
            34,
            5,
            "no instrument 'spectrometr' in the lab's instruments (did you mean 'spectrometer'?)"),
        // campaign files
        row(
            "campaign-min-above-max.yaml",
            4,
            53,
            "max 40 is not above min 200 (expected min < max)"),
        row(
            "campaign-wrong-type.yaml",
            6,
            43,
            "wrong type for 'min': got 'low' (expected a number)"),
        row(
            "campaign-log-scale-from-zero.yaml",
            5,
            43,
            "min 0 on a log scale (expected min > 0 with scale: log)"),
        row(
            "campaign-empty-values.yaml",
            7,
            47,
            "empty list of values (expected at least one name)"),
        row(
            "campaign-misspelt-top-key.yaml",
            14,
            1,
            "unknown key 'objectivs' (did you mean 'objectives'?)"),
        row(
            "campaign-unknown-instrument.yaml",
            13,
            19,
            "unknown instrument 'spectrometre' in lab test-lab (did you mean 'spectrometer'?)"),
        row(
            "campaign-unknown-command.yaml",
            11,
            35,
            "unknown command 'synthesise' of robot (did you mean 'synthesize'?)"),
        row(
            "campaign-dangling-parameter-ref.yaml",
            12,
            48,
            "'$tiem' is not a parameter (did you mean 'time'?)"),
        row(
            "campaign-dangling-step-ref.yaml",
            13,
            69,
            "'synthesis.sampleId' refers to step 'synthesis', which is not an earlier step (did you mean 'synthesize'?)"),
        row(
            "campaign-later-step-ref.yaml",
            11,
            69,
            "'synthesize.sampleId' refers to step 'synthesize', but no step runs before this one (expected an output of an earlier step)"),
        row(
            "campaign-repeated-command-without-id.yaml",
            14,
            5,
            "step id 'measure' is already used by an earlier step (expected an 'id:' that tells repeated commands apart)"),
        row(
            "campaign-missing-argument.yaml",
            11,
            5,
            "missing argument 'solvent' of robot.synthesize (expected args: { solvent: ... })"),
        row(
            "campaign-unused-parameter.yaml",
            7,
            3,
            "parameter 'stirring' is not passed to any instrument (expected $stirring in a workflow step's args)"),
        row(
            "campaign-objective-missing-output.yaml",
            15,
            25,
            "'measure.peek': spectrometer.measure has no output 'peek' (did you mean 'peak'?)"),
        row(
            "campaign-misspelt-goal.yaml",
            15,
            45,
            "'goal' is 'maximise' (did you mean 'maximize'?)"),
        row(
            "campaign-target-without-tolerance.yaml",
            15,
            5,
            "missing 'tolerance' (expected how close counts as reached, e.g. tolerance: 5)"),
        row(
            "campaign-negative-worst-acceptable.yaml",
            15,
            97,
            "worst-acceptable -10 with goal: target (expected a distance from the target, >= 0)"),
        row(
            "campaign-over-instrument-limit.yaml",
            4,
            52,
            "parameter 'temperature' goes up to 300, above robot's limit for temperature (expected values <= 250, the limit of robot in test-lab.yaml)"),
        row(
            "campaign-unsatisfiable-constraint.yaml",
            9,
            5,
            "'temperature * time <= 20' never holds in the parameter ranges: temperature * time is between 40 and 12000"
                + " over 4000 sampled points (expected a constraint that some conditions satisfy)"),
        row(
            "campaign-conflicting-constraints.yaml",
            8,
            1,
            "no sampled point satisfies all of 'temperature >= 150', 'temperature + 60 <= 200' at once"
                + " (expected constraints that overlap somewhere in the space)"),
        row(
            "campaign-bad-constraint-syntax.yaml",
            9,
            5,
            "cannot read 'temperature *': Missing second operand for operator (expected an arithmetic expression)"),
        row(
            "campaign-constraint-unknown-name.yaml",
            9,
            5,
            "constraint uses 'duration', which is not a parameter (expected one of temperature, time, concentration, solvent)"),
        row(
            "campaign-bad-wall-time.yaml",
            17,
            39,
            "'wall-time' is '8 hours' (expected a duration with a unit, e.g. 90s, 30m, 8h or 1h30m)"),
        row(
            "campaign-bad-cron.yaml",
            17,
            11,
            "schedule 'every monday' is not a cron expression: Illegal characters for this position: 'EVE'"
                + " (expected seconds minutes hours day-of-month month day-of-week, e.g. '0 0 6 ? * MON-FRI')"),
        row(
            "campaign-bad-on-interrupt.yaml",
            17,
            15,
            "'on-interrupt' is 'retyr' (did you mean 'retry'?)"),
        row(
            "campaign-unknown-planner.yaml",
            16,
            18,
            "unknown planner type 'bayes' (expected one of random, sobol, lhs, grid, replay, bayesian)"),
        row(
            "campaign-unit-mismatch.yaml",
            4,
            64,
            "parameter 'temperature' is in K but robot's limit for temperature is in degC (expected unit: degC)"),
        row(
            "campaign-unknown-planner-option.yaml",
            16,
            40,
            "not an option of the bayesian planner; its options are [acquisition, batch, beta, hyperparameter-samples, initial, noise, trust-region]"),
        row(
            "campaign-bad-noise.yaml",
            16,
            28,
            "expected auto (fitted), none (exact measurements) or the measurement's standard"
                + " deviation in the objective's units, got 'low'"),
        row(
            "campaign-noise-sd-two-objectives.yaml",
            19,
            3,
            "a noise standard deviation is in one objective's units, and this"
                + " campaign has 2 objectives; use auto or none"),
        row(
            "campaign-missing-lab-file.yaml",
            2,
            6,
            "lab file '../labs/no-such-lab.yaml' not found (expected a path relative to the campaign file)"),
        Arguments.of(
            "campaign-candidate-out-of-range.yaml",
            new ConfigProblem(
                DIR.resolve("candidates-out-of-range.csv").toString(),
                4,
                12,
                "'acetone' is not a value of solvent (expected one of water, ethanol, ethylene-glycol)")));
  }

  private static Arguments row(String file, int line, int column, String message) {
    return Arguments.of(
        file, new ConfigProblem(DIR.resolve(file).toString(), line, column, message));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void eachBrokenFileGetsExactlyItsProblem(String file, ConfigProblem expected) {
    List<ConfigProblem> problems = loader.validate(DIR.resolve(file));

    assertEquals(List.of(expected), problems);
  }

  @Test
  void theCorpusHasAtLeastTwentyFiveFilesAndEveryOneIsInTheTable() throws IOException {
    List<String> tested = corpus().map(a -> (String) a.get()[0]).toList();
    try (Stream<Path> files = Files.list(DIR)) {
      List<String> yaml =
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".yaml"))
              .sorted()
              .toList();
      assertEquals(
          yaml,
          tested.stream().sorted().toList(),
          "every file of the corpus is checked, and only those");
      assertEquals(true, yaml.size() >= 25, "at least 25 broken files");
    }
  }

  @Test
  void aTenMegabyteFileIsRefusedBeforeParsing(@TempDir Path dir) throws IOException {
    Path huge = dir.resolve("huge.yaml");
    try (Writer w = Files.newBufferedWriter(huge, StandardCharsets.UTF_8)) {
      w.write("lab: huge\n");
      String line = "# " + "x".repeat(1021) + "\n";
      for (int i = 0; i < 10 * 1024; i++) w.write(line);
    }

    List<ConfigProblem> problems = loader.validate(huge);

    assertEquals(
        List.of(
            new ConfigProblem(
                huge.toString(), 1, 1, "file is too large: 10.0 MB (expected at most 1.0 MB)")),
        problems);
  }

  @Test
  void loadingABrokenFileThrowsWithEveryProblemInTheOneLineFormat() {
    Path file = DIR.resolve("campaign-unknown-command.yaml");

    ConfigException e = assertThrows(ConfigException.class, () -> loader.loadCampaign(file));

    assertEquals(
        file + ":11:35: error: unknown command 'synthesise' of robot (did you mean 'synthesize'?)",
        e.problems().get(0).toString());
    assertEquals(e.problems().get(0).toString(), e.getMessage());
  }

  @Test
  void aMissingFileIsOneProblemNotAnException() {
    Path file = DIR.resolve("no-such-file.yaml");

    assertEquals(
        List.of(
            new ConfigProblem(file.toString(), 1, 1, "file not found (expected an existing file)")),
        loader.validate(file));
  }
}
