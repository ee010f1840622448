package io.labloop.orchestrator.config;

import io.labloop.planners.Parameter;
import io.labloop.planners.Point;
import io.labloop.settings.CsvTable;
import io.labloop.settings.CsvTable.Cell;
import io.labloop.settings.Spelling;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A candidate pool from a CSV file ({@code candidates: { file: reagents.csv }}): a header row, then
 * one candidate per row. Every parameter must be a column (extra columns, such as a recorded yield,
 * are ignored); each value is typed by its parameter and must be one of its allowed values, else a
 * problem at the CSV's own line and column. The file is read as RFC 4180 by {@link CsvTable}
 * (Jackson's CSV parser): quoted fields may hold commas, line breaks and doubled quotes, a
 * byte-order mark and CRLF line ends are fine, as a spreadsheet writes them.
 */
final class CandidateTable {

  private CandidateTable() {}

  /**
   * Reads the pool. {@code openValues} names categorical/discrete parameters that declared no
   * {@code values:}; their values are collected from the column into {@code collected}.
   */
  static Optional<List<Point>> read(
      String csv,
      List<Parameter> parameters,
      Set<String> openValues,
      Map<String, Set<String>> collected,
      Report report) {
    int before = report.count();
    CsvTable table;
    try {
      table = CsvTable.parse(csv.getBytes(StandardCharsets.UTF_8));
    } catch (CsvTable.Malformed e) {
      report.error(
          e.line(),
          e.column(),
          "not a CSV table: "
              + e.getMessage()
              + " (expected RFC 4180: quote a field with \"...\", a quote inside as \"\")");
      return Optional.empty();
    }
    if (table.header().cells().stream().allMatch(c -> c.text().isEmpty())) {
      report.error(1, 1, "no header row (expected the column names, one per parameter)");
      return Optional.empty();
    }
    Map<String, Integer> columns = new LinkedHashMap<>();
    List<Cell> header = table.header().cells();
    for (int i = 0; i < header.size(); i++) columns.putIfAbsent(header.get(i).text(), i);
    for (Parameter p : parameters) {
      if (!columns.containsKey(p.name())) {
        report.error(
            1,
            1,
            "no column '"
                + p.name()
                + "' ("
                + Spelling.hint(p.name(), columns.keySet())
                    .replace(
                        "expected one of", "expected a column for every parameter; columns are")
                + ")");
      }
    }
    if (report.count() != before) return Optional.empty();
    List<Point> points = new ArrayList<>();
    for (CsvTable.Row csvRow : table.rows()) {
      List<Cell> row = csvRow.cells();
      int line = csvRow.line();
      Map<String, Object> values = new LinkedHashMap<>();
      for (Parameter p : parameters) {
        int index = columns.get(p.name());
        if (index >= row.size()) {
          report.error(
              line,
              row.get(row.size() - 1).column(),
              "row has "
                  + row.size()
                  + " cells (expected "
                  + header.size()
                  + ", one per column of the header)");
          break;
        }
        Cell cell = row.get(index);
        value(p, cell, openValues.contains(p.name()), report)
            .ifPresent(
                v -> {
                  values.put(p.name(), v);
                  if (openValues.contains(p.name()))
                    collected
                        .computeIfAbsent(p.name(), k -> new LinkedHashSet<>())
                        .add(cell.text());
                });
      }
      if (values.size() == parameters.size()) points.add(new Point(values));
    }
    if (report.count() != before) return Optional.empty();
    if (points.isEmpty()) {
      report.error(2, 1, "no candidate rows (expected at least one row below the header)");
      return Optional.empty();
    }
    return Optional.of(points);
  }

  static Optional<Object> value(Parameter p, Cell cell, boolean open, Report report) {
    String t = cell.text();
    int line = cell.line();
    if (p instanceof Parameter.Categorical c) {
      if (open || c.contains(t)) return Optional.of(t);
      report.error(
          line,
          cell.column(),
          "'" + t + "' is not a value of " + p.name() + " (" + Spelling.hint(t, c.values()) + ")");
      return Optional.empty();
    }
    double v;
    try {
      v = Double.parseDouble(t);
    } catch (NumberFormatException e) {
      report.error(
          line,
          cell.column(),
          "'" + t + "' in column " + p.name() + " is not a number (expected a number)");
      return Optional.empty();
    }
    if (open || p.contains(v)) return Optional.of(v);
    report.error(
        line,
        cell.column(),
        Numbers.text(v)
            + " is not an allowed value of "
            + p.name()
            + " (expected "
            + allowed(p)
            + ")");
    return Optional.empty();
  }

  static String allowed(Parameter p) {
    if (p instanceof Parameter.Continuous c)
      return "a number from " + Numbers.text(c.min()) + " to " + Numbers.text(c.max());
    if (p instanceof Parameter.IntegerRange r)
      return "a whole number from " + r.min() + " to " + r.max();
    if (p instanceof Parameter.Discrete d)
      return "one of " + String.join(", ", d.values().stream().map(Numbers::text).toList());
    return "one of " + String.join(", ", ((Parameter.Categorical) p).values());
  }
}
