package io.labloop.simulators.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorldModelsTest {

  private static Map<String, Double> silver(double t, double min, double c, String solvent) {
    return WorldModels.build(new WorldSpec.BuiltIn("silver-nanoparticles"), Path.of("."))
        .evaluate(Map.of("temperature", t, "time", min, "concentration", c, "solvent", solvent));
  }

  @Test
  void silverPeaksAreWhereSilverPlasmonsAre() {
    double lowest = Double.POSITIVE_INFINITY;
    double highest = 0;
    for (String solvent : List.of("water", "ethanol", "ethylene-glycol")) {
      for (double t = 40; t <= 200; t += 40) {
        for (double min : new double[] {1, 10, 60}) {
          for (double c : new double[] {0.1, 0.5, 2.0}) {
            Map<String, Double> out = silver(t, min, c, solvent);
            lowest = Math.min(lowest, out.get("peak"));
            highest = Math.max(highest, out.get("peak"));
            assertTrue(out.get("fwhm") > 20 && out.get("fwhm") < 600, out.toString());
            assertTrue(
                out.get("crystallinity") >= 0 && out.get("crystallinity") <= 1, out.toString());
          }
        }
      }
    }
    assertTrue(lowest > 380 && lowest < 420, "small particles near 400 nm, got " + lowest);
    assertTrue(highest > 520, "large or aggregated particles beyond 520 nm, got " + highest);
  }

  @Test
  void longerHotterSynthesesGrowLargerParticlesAndRedShift() {
    assertTrue(
        silver(120, 30, 0.8, "water").get("diameter")
            > silver(120, 5, 0.8, "water").get("diameter"));
    assertTrue(
        silver(160, 10, 0.8, "water").get("peak") > silver(80, 10, 0.8, "water").get("peak"));
    assertTrue(
        silver(120, 20, 0.8, "ethylene-glycol").get("crystallinity")
            > silver(120, 20, 0.8, "water").get("crystallinity"));
  }

  @Test
  void outOfRangeConditionsAreRefusedWithTheReason() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> silver(120, -1, 0.8, "water"));
    assertTrue(e.getMessage().contains("time"));
    e = assertThrows(IllegalArgumentException.class, () -> silver(120, 10, 0.8, "acetone"));
    assertTrue(e.getMessage().contains("[water, ethanol, ethylene-glycol]"));
  }

  @Test
  void expressionsUseRadiansExpAndPow() {
    WorldModel w =
        WorldModels.build(
            new WorldSpec.Expressions(Map.of("y", "sin(x) + exp(z) + pow(x, 2)")), Path.of("."));
    assertEquals(List.of("x", "z"), w.inputs());
    double x = Math.PI / 2;
    assertEquals(
        Math.sin(x) + Math.exp(0.5) + x * x, w.evaluate(Map.of("x", x, "z", 0.5)).get("y"), 1e-9);
    assertThrows(IllegalArgumentException.class, () -> w.evaluate(Map.of("x", 1.0)));
  }

  @Test
  void aDatasetReplaysItsNearestRunAndMatchesCategoriesExactly(@TempDir Path dir) throws Exception {
    Files.writeString(
        dir.resolve("runs.csv"),
        """
        temperature,time,solvent,peak
        100,10,water,450
        100,60,water,500
        200,10,water,520
        100,10,"ethanol",430
        """);
    WorldModel w =
        WorldModels.build(
            new WorldSpec.Dataset(
                "runs.csv", List.of("temperature", "time", "solvent"), List.of("peak")),
            dir);
    assertEquals(Map.of("solvent", List.of("ethanol", "water")), w.categories());
    assertEquals(
        500.0, w.evaluate(Map.of("temperature", 110, "time", 50, "solvent", "water")).get("peak"));
    assertEquals(
        520.0, w.evaluate(Map.of("temperature", 190, "time", 20, "solvent", "water")).get("peak"));
    assertEquals(
        430.0,
        w.evaluate(Map.of("temperature", 200, "time", 60, "solvent", "ethanol")).get("peak"));
    assertThrows(
        IllegalArgumentException.class,
        () -> w.evaluate(Map.of("temperature", 100, "time", 10, "solvent", "toluene")));
  }

  @Test
  void aDatasetFromASpreadsheetReadsWithBomCrlfAndQuotedCommasAndLineBreaks(@TempDir Path dir)
      throws Exception {
    Files.writeString(
        dir.resolve("runs.csv"),
        "\uFEFFadditive,comment,equiv,yield\r\n"
            + "\"5-Phenyl-1,2,4-oxadiazole\",\"dry,\r\nunder argon\",0.5,12.5\r\n"
            + "none,,0.5,3\r\n");
    WorldModel w =
        WorldModels.build(
            new WorldSpec.Dataset("runs.csv", List.of("additive", "equiv"), List.of("yield")), dir);
    assertEquals(Map.of("additive", List.of("5-Phenyl-1,2,4-oxadiazole", "none")), w.categories());
    assertEquals(
        12.5,
        w.evaluate(Map.of("additive", "5-Phenyl-1,2,4-oxadiazole", "equiv", 0.5)).get("yield"));
  }

  @Test
  void aNamedBenchmarkFunctionIsAWorldOnItsDomain() {
    WorldModel w = WorldModels.build(new WorldSpec.Function("branin", "y"), Path.of("."));
    assertEquals(List.of("x1", "x2"), w.inputs());
    assertEquals(0.397887, w.evaluate(Map.of("x1", Math.PI, "x2", 2.275)).get("y"), 1e-5);
    assertThrows(IllegalArgumentException.class, () -> w.evaluate(Map.of("x1", 20.0, "x2", 2.0)));
  }

  @Test
  void samplesArePersistedAndIdsContinueAfterARestart(@TempDir Path dir) {
    WorldModel model = WorldModels.build(new WorldSpec.Expressions(Map.of("y", "2 * x")), dir);
    VirtualWorld first = new VirtualWorld(model, dir);
    Sample a = first.synthesize(Map.of("x", 1.5));
    VirtualWorld second = new VirtualWorld(model, dir);
    assertEquals(3.0, second.sample(a.id()).orElseThrow().truth().get("y"));
    assertTrue(second.synthesize(Map.of("x", 1.0)).id().compareTo(a.id()) > 0);
  }
}
