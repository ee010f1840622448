package io.labloop.orchestrator.fuzz;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The candidate CSV reader through its public entry point: a campaign whose {@code candidates:}
 * names the fuzzed file, validated by the loader (so this test does not depend on how the reader is
 * built inside).
 */
class CandidateCsvFuzzTest {

  private static Path dir;
  private static final String SEED =
      "temperature,solvent,time\n40,water,1\n120.5,\"ethanol, dry\",30\n200,water,60\n";

  @BeforeContainer
  static void campaign() throws IOException {
    dir = Files.createTempDirectory("labloop-csv-fuzz");
    Path lab = Path.of("src/test/resources/labs/test-lab.yaml").toAbsolutePath();
    Files.writeString(
        dir.resolve("campaign.yaml"),
        "campaign: pool\n"
            + "lab: "
            + lab
            + "\n"
            + "parameters:\n"
            + "  temperature: { type: discrete, unit: degC }\n"
            + "  solvent: { type: categorical }\n"
            + "  time: { type: discrete, unit: min }\n"
            + "candidates: { file: pool.csv }\n"
            + "workflow:\n"
            + "  - { instrument: robot, command: synthesize,\n"
            + "      args: { temperature: $temperature, time: $time, concentration: 1, solvent: $solvent } }\n"
            + "  - { instrument: spectrometer, command: measure, args: { sampleId: $synthesize.sampleId } }\n"
            + "objectives:\n"
            + "  - { name: peak, from: measure.peak, goal: maximize }\n"
            + "planner: { type: random, seed: 1 }\n"
            + "budget: { experiments: 3 }\n");
  }

  @AfterContainer
  static void clean() throws IOException {
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) Files.delete(f);
    }
    Files.delete(dir);
  }

  @Property(tries = 100)
  void anyCandidateFileGivesProblemsWithPositionsOrNone(@ForAll("csv") String csv)
      throws IOException {
    Files.writeString(dir.resolve("pool.csv"), csv, StandardCharsets.UTF_8);
    Invariant.validateYaml("campaign.yaml", Files.readString(dir.resolve("campaign.yaml")), dir);
  }

  @Provide
  Arbitrary<String> csv() {
    return Arbitraries.oneOf(
        Arbitraries.strings()
            .withChars(",\"\n\r;\t =+-@0123456789.eE,abc\u0000\ufeff")
            .ofMaxLength(300),
        Arbitraries.randomValue(r -> Mutations.mutate(SEED, r, 10)),
        Arbitraries.randomValue(r -> SEED + "1,water,2\n".repeat(r.nextInt(20_000))),
        Arbitraries.randomValue(
            r ->
                "temperature,solvent,time\n"
                    + "\"".repeat(1 + r.nextInt(5000))
                    + List.of("", "\n", ",1").get(r.nextInt(3))));
  }
}
