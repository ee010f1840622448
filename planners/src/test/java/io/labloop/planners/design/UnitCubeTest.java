package io.labloop.planners.design;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.labloop.planners.Parameter;
import io.labloop.planners.PlannerFixtures;
import io.labloop.planners.Point;
import io.labloop.planners.Space;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnitCubeTest {

  private final Space space =
      new Space(
          List.of(
              new Parameter.Continuous("time", 1, 100, Parameter.Scale.LOG, "min"),
              new Parameter.IntegerRange("stirrers", 1, 5, ""),
              new Parameter.Discrete("c", List.of(0.1, 0.2, 1.0), "mM"),
              new Parameter.Categorical("solvent", List.of("water", "ethanol", "dmso"))),
          List.of());
  private final UnitCube cube = new UnitCube(space);

  @Test
  void logScaleParametersAreUniformInLogSpace() {
    Point p = PlannerFixtures.point("time", 10.0, "stirrers", 1.0, "c", 0.1, "solvent", "dmso");
    assertEquals(0.5, cube.encode(p)[0], 1e-12);
    assertArrayEquals(new double[] {0.5, 0, 0, 0, 0, UnitCube.HOT}, cube.encode(p), 1e-12);
    assertEquals(
        List.of("time", "stirrers", "c", "solvent=water", "solvent=ethanol", "solvent=dmso"),
        cube.columns());
    assertArrayEquals(new int[] {0, 1, 2, 3, 3, 3}, cube.parameterOfColumn());
    assertArrayEquals(new boolean[] {false, false, false, true}, cube.categoricalParameters());
  }

  @Test
  void decodingRoundsToMakeableValues() {
    Point p = cube.decode(new double[] {1.2, 0.62, 0.3, 0.2, 0.7, 0.1});
    assertEquals(100.0, p.number("time"), 1e-9);
    assertEquals(3.0, p.number("stirrers"));
    // 0.3 of the way from 0.1 to 1.0 is 0.37: the nearest allowed value is 0.2.
    assertEquals(0.2, p.number("c"));
    assertEquals("ethanol", p.text("solvent"));
    assertEquals(p, cube.decode(cube.snap(new double[] {1.2, 0.62, 0.3, 0.2, 0.7, 0.1})));
  }

  @Test
  void distinctCategoricalValuesAreAsFarApartAsTheEndsOfAContinuousRange() {
    UnitCube cube =
        new UnitCube(
            new Space(
                List.of(
                    new Parameter.Continuous("t", 0, 10, Parameter.Scale.LINEAR, ""),
                    new Parameter.Categorical("solvent", List.of("water", "ethanol", "dmso"))),
                List.of()));
    double[] water = cube.encode(PlannerFixtures.point("t", 0.0, "solvent", "water"));
    double[] dmso = cube.encode(PlannerFixtures.point("t", 0.0, "solvent", "dmso"));
    double[] hot = cube.encode(PlannerFixtures.point("t", 10.0, "solvent", "water"));
    assertEquals(1, distance(water, dmso), 1e-12);
    assertEquals(1, distance(water, hot), 1e-12);
    assertEquals("dmso", cube.decode(dmso).text("solvent"));
  }

  private static double distance(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) s += (a[i] - b[i]) * (a[i] - b[i]);
    return Math.sqrt(s);
  }
}
