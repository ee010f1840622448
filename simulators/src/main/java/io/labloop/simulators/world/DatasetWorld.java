package io.labloop.simulators.world;

import io.labloop.settings.CsvTable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Replays a CSV of measured runs, so that a historic dataset becomes a benchmark: the sample made
 * under some conditions has the outputs of the nearest recorded run.
 *
 * <p>Nearest neighbour: numeric inputs are scaled to [0, 1] by the range seen in the file (so that
 * minutes and millimoles weigh alike), categorical inputs (any input column holding a value that is
 * not a number) must match exactly, and the run with the smallest Euclidean distance wins; ties go
 * to the earlier row, so the replay is deterministic.
 */
final class DatasetWorld implements WorldModel {

  private final List<String> inputs;
  private final List<String> outputs;
  private final Map<String, List<String>> categories;
  private final List<Map<String, Object>> runs;
  private final Map<String, double[]> ranges;

  private DatasetWorld(
      List<String> inputs,
      List<String> outputs,
      Map<String, List<String>> categories,
      List<Map<String, Object>> runs,
      Map<String, double[]> ranges) {
    this.inputs = inputs;
    this.outputs = outputs;
    this.categories = categories;
    this.runs = runs;
    this.ranges = ranges;
  }

  /**
   * Reads the CSV (first line: column names) with {@link CsvTable}, so any RFC 4180 file a
   * spreadsheet writes reads: quoted fields with commas or line breaks, a byte-order mark, CRLF.
   *
   * @throws IllegalArgumentException naming the file, line and column when it cannot be used
   */
  static DatasetWorld read(Path file, List<String> inputs, List<String> outputs) {
    CsvTable table;
    try {
      table = CsvTable.read(file);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read dataset " + file + ": " + e.getMessage());
    } catch (CsvTable.Malformed e) {
      throw new IllegalArgumentException(
          "dataset "
              + file
              + " line "
              + e.line()
              + " column "
              + e.column()
              + " is not CSV: "
              + e.getMessage());
    }
    if (table.rows().isEmpty()) {
      throw new IllegalArgumentException(
          "dataset " + file + " has no runs (expected a header line and at least one row)");
    }
    List<String> header = table.header().texts();
    for (String name : concat(inputs, outputs)) {
      if (!header.contains(name)) {
        throw new IllegalArgumentException(
            "dataset " + file + " has no column '" + name + "' (columns: " + header + ")");
      }
    }
    List<Map<String, Object>> runs = new ArrayList<>();
    Map<String, TreeSet<String>> categoryValues = new LinkedHashMap<>();
    for (CsvTable.Row row : table.rows()) {
      List<String> fields = row.texts();
      if (fields.size() != header.size()) {
        throw new IllegalArgumentException(
            "dataset "
                + file
                + " line "
                + row.line()
                + " has "
                + fields.size()
                + " fields, the header has "
                + header.size());
      }
      Map<String, Object> run = new LinkedHashMap<>();
      for (String name : concat(inputs, outputs)) {
        CsvTable.Cell cell = row.cells().get(header.indexOf(name));
        String text = cell.text();
        Double number = parse(text);
        if (number == null && outputs.contains(name)) {
          throw new IllegalArgumentException(
              "dataset "
                  + file
                  + " line "
                  + cell.line()
                  + ": output '"
                  + name
                  + "' is '"
                  + text
                  + "', expected a number");
        }
        if (number == null) {
          categoryValues.computeIfAbsent(name, k -> new TreeSet<>()).add(text);
        }
        run.put(name, number == null ? text : number);
      }
      runs.add(run);
    }
    Map<String, List<String>> categories = new LinkedHashMap<>();
    categoryValues.forEach((k, v) -> categories.put(k, List.copyOf(v)));
    // A column is categorical as soon as one value is not a number: keep all its values as text.
    for (Map<String, Object> run : runs) {
      for (String name : categories.keySet()) {
        Object v = run.get(name);
        if (v instanceof Double d) {
          String text = d == Math.rint(d) ? String.valueOf(d.longValue()) : String.valueOf(d);
          run.put(name, text);
          categoryValues.get(name).add(text);
          categories.put(name, List.copyOf(categoryValues.get(name)));
        }
      }
    }
    Map<String, double[]> ranges = new LinkedHashMap<>();
    for (String name : inputs) {
      if (categories.containsKey(name)) {
        continue;
      }
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      for (Map<String, Object> run : runs) {
        double v = (Double) run.get(name);
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      ranges.put(name, new double[] {min, max});
    }
    return new DatasetWorld(List.copyOf(inputs), List.copyOf(outputs), categories, runs, ranges);
  }

  @Override
  public List<String> inputs() {
    return inputs;
  }

  @Override
  public Map<String, List<String>> categories() {
    return categories;
  }

  @Override
  public List<String> outputs() {
    return outputs;
  }

  @Override
  public Map<String, Double> evaluate(Map<String, Object> conditions) {
    Map<String, Object> wanted = new LinkedHashMap<>();
    for (String name : inputs) {
      wanted.put(
          name,
          categories.containsKey(name)
              ? WorldModel.category(conditions, name, categories.get(name))
              : WorldModel.number(conditions, name));
    }
    Map<String, Object> best = null;
    double bestDistance = Double.POSITIVE_INFINITY;
    for (Map<String, Object> run : runs) {
      double distance = 0;
      boolean sameCategories = true;
      for (String name : inputs) {
        if (categories.containsKey(name)) {
          sameCategories &= run.get(name).equals(wanted.get(name));
        } else {
          double[] range = ranges.get(name);
          double span = range[1] - range[0];
          double d = ((Double) run.get(name) - (Double) wanted.get(name)) / (span == 0 ? 1 : span);
          distance += d * d;
        }
      }
      if (sameCategories && distance < bestDistance) {
        best = run;
        bestDistance = distance;
      }
    }
    if (best == null) {
      throw new IllegalArgumentException("the dataset has no run with " + categoryPart(wanted));
    }
    Map<String, Double> out = new LinkedHashMap<>();
    for (String name : outputs) {
      out.put(name, (Double) best.get(name));
    }
    return out;
  }

  private String categoryPart(Map<String, Object> wanted) {
    List<String> parts = new ArrayList<>();
    for (String name : categories.keySet()) {
      parts.add(name + "=" + wanted.get(name));
    }
    return String.join(", ", parts);
  }

  private static Double parse(String text) {
    try {
      double v = Double.parseDouble(text);
      return Double.isFinite(v) ? v : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
