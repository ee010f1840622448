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
  private final List<Parameter> parameters =
      List.of(
          new Parameter.Categorical("ligand", List.of("XPhos", "P(tBu)3, HBF4")),
          new Parameter.IntegerRange("temperature", 80, 120, "degC"));

  @Test
  void aSpreadsheetsCsvWithBomCrlfAndQuotedCommasAndLineBreaksIsAPool() {
    List<Parameter> reaction =
        List.of(
            new Parameter.Categorical("additive", List.of("5-Phenyl-1,2,4-oxadiazole", "none")),
            new Parameter.Categorical("note", List.of("dry\r\nunder argon", "")),
            new Parameter.Discrete("equivalents", List.of(0.5, 1.0), ""));
    String csv =
        "\uFEFFadditive,note,equivalents,yield (%)\r\n"
            + "\"5-Phenyl-1,2,4-oxadiazole\",\"dry\r\nunder argon\",0.5,\"12,5\"\r\n"
            + "none,,1,3\r\n";

    Optional<List<Point>> rows =
        CandidateTable.read(csv, reaction, Set.of(), new LinkedHashMap<>(), report);

    assertEquals(List.of(), problems);
    assertEquals(
        List.of(
            new Point(
                Map.of(
                    "additive",
                    "5-Phenyl-1,2,4-oxadiazole",
                    "note",
                    "dry\r\nunder argon",
                    "equivalents",
                    0.5)),
            new Point(Map.of("additive", "none", "note", "", "equivalents", 1.0))),
        rows.orElseThrow());
  }

  @Test
  void aProblemAfterAQuotedLineBreakIsAtTheCsvsOwnLine() {
    String csv =
        "ligand,comment,temperature\r\nXPhos,\"first line\r\nsecond line\",100\r\nXPhos,ok,130\r\n";

    CandidateTable.read(csv, parameters, Set.of(), new LinkedHashMap<>(), report);

    assertEquals(
        List.of(
            new ConfigProblem(
                "pool.csv",
                4,
                10,
                "130 is not an allowed value of temperature (expected a whole number from 80 to 120)")),
        problems);
  }

  @Test
  void rowsAreTypedByTheirParametersAndExtraColumnsIgnored() {
    Optional<List<Point>> rows =
        CandidateTable.read(
            "yield,temperature,ligand\n41.5,100,\"P(tBu)3, HBF4\"\n3,80,XPhos\n",
            parameters,
            Set.of(),
            new LinkedHashMap<>(),
            report);

    assertEquals(List.of(), problems);
    assertEquals(
        new Point(Map.of("ligand", "P(tBu)3, HBF4", "temperature", 100.0)),
        rows.orElseThrow().get(0));
  }

  @Test
  void aValueOutsideTheParameterIsAProblemAtItsCell() {
    CandidateTable.read(
        "ligand,temperature\nXPhos,100\nXPhos,100.5\nSPhos,90\n",
        parameters,
        Set.of(),
        new LinkedHashMap<>(),
        report);

    assertEquals(
        List.of(
            new ConfigProblem(
                "pool.csv",
                3,
                7,
                "100.5 is not an allowed value of temperature (expected a whole number from 80 to 120)"),
            new ConfigProblem(
                "pool.csv", 4, 1, "'SPhos' is not a value of ligand (did you mean 'XPhos'?)")),
        problems);
  }

  @Test
  void aShortRowIsAProblem() {
    CandidateTable.read(
        "ligand,temperature\nXPhos\n", parameters, Set.of(), new LinkedHashMap<>(), report);

    assertEquals(
        List.of(
            new ConfigProblem(
                "pool.csv", 2, 1, "row has 1 cells (expected 2, one per column of the header)")),
        problems);
  }
}
