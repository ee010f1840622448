package io.labloop.orchestrator.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.labloop.planners.Parameter;
import io.labloop.planners.Point;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CandidateTableTest {

  private final List<ConfigProblem> problems = new ArrayList<>();
  private final Report report = new Report("pool.csv", problems);
  private final List<Parameter> parameters = List.of(new Parameter.Categorical("ligand", List.of("XPhos", "P(tBu)3, HBF4")),
      new Parameter.IntegerRange("temperature", 80, 120, "degC"));

  @Test
  void quotedCellsMayHoldCommasAndQuotes() {
    assertEquals(List.of("a", "b, \"c\"", "d"),
        CandidateTable.rows("a,\"b, \"\"c\"\"\",d").get(0).stream().map(CandidateTable.Cell::text).toList());
  }

  @Test
  void rowsAreTypedByTheirParametersAndExtraColumnsIgnored() {
    Optional<List<Point>> rows = CandidateTable.read("yield,temperature,ligand\n41.5,100,\"P(tBu)3, HBF4\"\n3,80,XPhos\n",
        parameters, Set.of(), new LinkedHashMap<>(), report);

    assertEquals(List.of(), problems);
    assertEquals(new Point(Map.of("ligand", "P(tBu)3, HBF4", "temperature", 100.0)), rows.orElseThrow().get(0));
  }

  @Test
  void aValueOutsideTheParameterIsAProblemAtItsCell() {
    CandidateTable.read("ligand,temperature\nXPhos,100\nXPhos,100.5\nSPhos,90\n", parameters, Set.of(), new LinkedHashMap<>(), report);

    assertEquals(List.of(
        new ConfigProblem("pool.csv", 3, 7, "100.5 is not an allowed value of temperature (expected a whole number from 80 to 120)"),
        new ConfigProblem("pool.csv", 4, 1, "'SPhos' is not a value of ligand (did you mean 'XPhos'?)")), problems);
  }

  @Test
  void aShortRowIsAProblem() {
    CandidateTable.read("ligand,temperature\nXPhos\n", parameters, Set.of(), new LinkedHashMap<>(), report);

    assertEquals(List.of(new ConfigProblem("pool.csv", 2, 1, "row has 1 cells (expected 2, one per column of the header)")), problems);
  }
}
