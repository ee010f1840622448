package io.labloop.orchestrator.config;

import io.labloop.planners.Parameter;
import io.labloop.planners.Point;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A candidate pool from a CSV file ({@code candidates: { file: reagents.csv }}): a header row,
 * then one candidate per row. Every parameter must be a column (extra columns, such as a
 * recorded yield, are ignored); each value is typed by its parameter and must be one of its
 * allowed values, else a problem at the CSV's own line and column. Fields may be quoted with
 * {@code "..."} (a doubled quote inside is one quote).
 */
final class CandidateTable {

  private CandidateTable() {}

  /** The header and rows of a CSV text; each cell with its 1-based column. */
  record Cell(String text, int column) {}

  static List<List<Cell>> rows(String text) {
    List<List<Cell>> rows = new ArrayList<>();
    for (String line : text.split("\r?\n", -1)) {
      rows.add(cells(line));
    }
    return rows;
  }

  private static List<Cell> cells(String line) {
    List<Cell> out = new ArrayList<>();
    int i = 0;
    while (i <= line.length()) {
      int start = i;
      StringBuilder cell = new StringBuilder();
      if (i < line.length() && line.charAt(i) == '"') {
        i++;
        while (i < line.length()) {
          char c = line.charAt(i);
          if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
            cell.append('"');
            i += 2;
          } else if (c == '"') {
            i++;
            break;
          } else {
            cell.append(c);
            i++;
          }
        }
        while (i < line.length() && line.charAt(i) != ',') i++;
      } else {
        while (i < line.length() && line.charAt(i) != ',') cell.append(line.charAt(i++));
      }
      out.add(new Cell(cell.toString().trim(), start + 1));
      i++;
    }
    return out;
  }

  /**
   * Reads the pool. {@code openValues} names categorical/discrete parameters that declared no
   * {@code values:}; their values are collected from the column into {@code collected}.
   */
  static Optional<List<Point>> read(String csv, List<Parameter> parameters, Set<String> openValues,
      Map<String, Set<String>> collected, Report report) {
    int before = report.count();
    List<List<Cell>> rows = rows(csv);
    if (rows.isEmpty() || rows.get(0).stream().allMatch(c -> c.text().isEmpty())) {
      report.error(1, 1, "no header row (expected the column names, one per parameter)");
      return Optional.empty();
    }
    Map<String, Integer> columns = new LinkedHashMap<>();
    List<Cell> header = rows.get(0);
    for (int i = 0; i < header.size(); i++) columns.putIfAbsent(header.get(i).text(), i);
    for (Parameter p : parameters) {
      if (!columns.containsKey(p.name())) {
        report.error(1, 1, "no column '" + p.name() + "' (" + Spelling.hint(p.name(), columns.keySet())
            .replace("expected one of", "expected a column for every parameter; columns are") + ")");
      }
    }
    if (report.count() != before) return Optional.empty();
    List<Point> points = new ArrayList<>();
    for (int r = 1; r < rows.size(); r++) {
      List<Cell> row = rows.get(r);
      if (row.size() == 1 && row.get(0).text().isEmpty()) continue; // blank line, e.g. at the end
      int line = r + 1;
      Map<String, Object> values = new LinkedHashMap<>();
      for (Parameter p : parameters) {
        int index = columns.get(p.name());
        if (index >= row.size()) {
          report.error(line, row.get(row.size() - 1).column(), "row has " + row.size() + " cells (expected "
              + header.size() + ", one per column of the header)");
          break;
        }
        Cell cell = row.get(index);
        value(p, cell, openValues.contains(p.name()), report, line).ifPresent(v -> {
          values.put(p.name(), v);
          if (openValues.contains(p.name())) collected.computeIfAbsent(p.name(), k -> new LinkedHashSet<>()).add(cell.text());
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

  private static Optional<Object> value(Parameter p, Cell cell, boolean open, Report report, int line) {
    String t = cell.text();
    if (p instanceof Parameter.Categorical c) {
      if (open || c.contains(t)) return Optional.of(t);
      report.error(line, cell.column(), "'" + t + "' is not a value of " + p.name() + " ("
          + Spelling.hint(t, c.values()) + ")");
      return Optional.empty();
    }
    double v;
    try {
      v = Double.parseDouble(t);
    } catch (NumberFormatException e) {
      report.error(line, cell.column(), "'" + t + "' in column " + p.name() + " is not a number (expected a number)");
      return Optional.empty();
    }
    if (open || p.contains(v)) return Optional.of(v);
    report.error(line, cell.column(), Numbers.text(v) + " is not an allowed value of " + p.name() + " (expected " + allowed(p) + ")");
    return Optional.empty();
  }

  static String allowed(Parameter p) {
    if (p instanceof Parameter.Continuous c) return "a number from " + Numbers.text(c.min()) + " to " + Numbers.text(c.max());
    if (p instanceof Parameter.IntegerRange r) return "a whole number from " + r.min() + " to " + r.max();
    if (p instanceof Parameter.Discrete d) return "one of " + String.join(", ", d.values().stream().map(Numbers::text).toList());
    return "one of " + String.join(", ", ((Parameter.Categorical) p).values());
  }
}
