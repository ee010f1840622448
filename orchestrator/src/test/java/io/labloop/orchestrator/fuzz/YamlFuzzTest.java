package io.labloop.orchestrator.fuzz;

import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The lab and campaign readers (SnakeYAML, our tree, every reader behind it) on hostile YAML. */
class YamlFuzzTest {

  private static final Path CAMPAIGNS = Path.of("../config/campaigns");
  private static final List<String> SEEDS =
      List.of(
          Mutations.read(Path.of("../config/labs/sim-lab.yaml")),
          Mutations.read(CAMPAIGNS.resolve("silver-nanoparticles.yaml")),
          Mutations.read(CAMPAIGNS.resolve("crystalline-silver.yaml")),
          Mutations.read(Path.of("src/test/resources/daemon/lab.yaml")));

  @Property(tries = 200)
  void anyTextGivesProblemsWithPositionsOrNone(@ForAll("text") String text) {
    Invariant.validateYaml("fuzz.yaml", text, CAMPAIGNS);
  }

  @Property(tries = 150)
  void editedRealFilesGiveProblemsWithPositionsOrNone(@ForAll("edited") String text) {
    Invariant.validateYaml("fuzz.yaml", text, CAMPAIGNS);
  }

  @Property(tries = 100)
  void nestingToAnyDepthGivesProblemsWithPositions(@ForAll("deep") String text) {
    Invariant.validateYaml("deep.yaml", text, CAMPAIGNS);
  }

  @Provide
  Arbitrary<String> text() {
    return Arbitraries.strings().withChars(Mutations.SPECIAL + "abclnpqrstuv").ofMaxLength(400);
  }

  @Provide
  Arbitrary<String> edited() {
    return Arbitraries.randomValue(
        r -> Mutations.mutate(SEEDS.get(r.nextInt(SEEDS.size())), r, 12));
  }

  @Provide
  Arbitrary<String> deep() {
    return Arbitraries.randomValue(
        r -> Mutations.nested(r, 1 + r.nextInt(r.nextBoolean() ? 100 : 5000)));
  }
}
