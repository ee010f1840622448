package io.labloop.orchestrator.config;

import io.labloop.orchestrator.config.CampaignConfig.ObjectiveSource;
import io.labloop.orchestrator.config.CampaignConfig.PriorSource;
import io.labloop.planners.Observation;
import io.labloop.planners.Parameter;
import io.labloop.planners.Point;
import io.labloop.planners.Space;
import io.labloop.settings.CsvTable;
import io.labloop.settings.CsvTable.Cell;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The planner's {@code prior-data:} list: earlier observations that warm-start the model without
 * counting in the budget. Each entry is {@code { campaign: NAME }} (that campaign's latest run in
 * the store, loaded when the run starts) or {@code { file: old.csv }} (relative to the campaign
 * file, read now), each with an optional {@code task: NAME} marking data from a related setting.
 *
 * <p>A file has a header row naming every parameter and every objective, with the unit in brackets
 * as {@code labloop export} writes it ({@code temperature [degC]}); a unit that is not the
 * campaign's is an error at that header cell (nothing is converted), a column without brackets is
 * taken to be in the campaign's unit. Where the export has an {@code achieved} column beside a
 * parameter, its value is used, as the model of the earlier campaign did. Rows whose status is not
 * {@code DONE} or whose objectives are empty (failed experiments) are skipped. Every other row must
 * lie in this campaign's space: a value outside a parameter's range or a row breaking a constraint
 * is an error at its line and column.
 */
final class PriorDataReader {

  private static final Pattern HEADER = Pattern.compile("^(.*?)\\s*(?:\\[(.*)])?$");

  private final CampaignReader.Files files;

  PriorDataReader(CampaignReader.Files files) {
    this.files = files;
  }

  List<PriorSource> read(
      YamlNode planner,
      Path dir,
      Optional<Space> space,
      List<ObjectiveSource> objectives,
      Report report) {
    List<PriorSource> out = new ArrayList<>();
    // A planner block that is not a map has been reported already.
    if (!(planner instanceof YamlNode.MapNode)) return out;
    Optional<Fields> block = Fields.of(planner, report, "a map with type: and seed:");
    if (block.isEmpty()) return out;
    Optional<List<YamlNode>> items =
        block.get().list("prior-data", "a list of { campaign: NAME } or { file: old.csv }");
    if (items.isEmpty()) return out;
    for (YamlNode item : items.get()) {
      Optional<Fields> f = Fields.of(item, report, "a map { campaign: NAME } or { file: old.csv }");
      if (f.isEmpty()) continue;
      Fields e = f.get();
      e.allowOnly(List.of("campaign", "file", "task"));
      String task = e.string("task").orElse("");
      if (e.has("campaign") == e.has("file")) {
        report.error(item, "name either campaign: or file: (expected one of them)");
        continue;
      }
      if (e.has("campaign")) {
        e.string("campaign").ifPresent(c -> out.add(new PriorSource.FromCampaign(c, task)));
        continue;
      }
      Optional<String> name = e.string("file");
      if (name.isEmpty() || space.isEmpty()) continue;
      Path csv = dir.resolve(name.get()).normalize();
      if (!java.nio.file.Files.isRegularFile(csv)) {
        report.error(
            e.node("file").orElseThrow(),
            "prior-data file '"
                + name.get()
                + "' not found (expected a CSV file, relative to the campaign file)");
        continue;
      }
      Report csvReport = files.report(csv);
      Optional<String> text = files.read(csv, csvReport);
      if (text.isEmpty()) continue;
      read(text.get(), space.get(), objectives, csvReport)
          .ifPresent(rows -> out.add(new PriorSource.FromFile(csv, task, rows)));
    }
    return out;
  }

  /** The rows of one file as observations, or empty after reporting its problems. */
  static Optional<List<Observation>> read(
      String csv, Space space, List<ObjectiveSource> objectives, Report report) {
    int before = report.count();
    CsvTable table;
    try {
      table = CsvTable.parse(csv.getBytes(StandardCharsets.UTF_8));
    } catch (CsvTable.Malformed e) {
      report.error(e.line(), e.column(), "not a CSV table: " + e.getMessage());
      return Optional.empty();
    }
    Map<String, Integer> column = new LinkedHashMap<>();
    Map<String, Cell> unitCell = new LinkedHashMap<>();
    Map<String, String> unit = new LinkedHashMap<>();
    List<Cell> header = table.header().cells();
    for (int i = 0; i < header.size(); i++) {
      Matcher m = HEADER.matcher(header.get(i).text().trim());
      if (!m.matches()) continue;
      String key = m.group(1);
      if (column.putIfAbsent(key, i) == null && m.group(2) != null) {
        unit.put(key, m.group(2).trim());
        unitCell.put(key, header.get(i));
      }
    }
    Map<String, String> expected = new LinkedHashMap<>();
    for (Parameter p : space.parameters()) expected.put(p.name(), p.unit());
    for (ObjectiveSource o : objectives) expected.put(o.objective().name(), o.unit());
    expected.forEach(
        (name, wanted) -> {
          if (!column.containsKey(name)) {
            report.error(
                1,
                1,
                "no column '" + name + "' (expected a column for every parameter and objective)");
          } else if (unit.containsKey(name) && !unit.get(name).equals(wanted)) {
            Cell c = unitCell.get(name);
            report.error(
                c.line(),
                c.column(),
                "column '"
                    + name
                    + "' is in "
                    + (unit.get(name).isEmpty() ? "no unit" : unit.get(name))
                    + ", the campaign's "
                    + name
                    + " in "
                    + (wanted.isEmpty() ? "no unit" : wanted)
                    + " (nothing is converted; convert the column or fix the campaign)");
          }
        });
    if (report.count() != before) return Optional.empty();
    Integer status = column.get("status");
    List<Observation> out = new ArrayList<>();
    for (CsvTable.Row row : table.rows()) {
      if (status != null && !"DONE".equals(text(row, status).toUpperCase(Locale.ROOT))) continue;
      Map<String, Double> values = new LinkedHashMap<>();
      for (ObjectiveSource o : objectives) {
        String t = text(row, column.get(o.objective().name()));
        if (t.isEmpty()) break;
        try {
          values.put(o.objective().name(), Double.parseDouble(t));
        } catch (NumberFormatException e) {
          Cell c = row.cell(column.get(o.objective().name()));
          report.error(
              c.line(),
              c.column(),
              "'" + t + "' in column " + o.objective().name() + " is not a number");
          break;
        }
      }
      if (values.size() != objectives.size()) continue;
      Map<String, Object> point = new LinkedHashMap<>();
      for (Parameter p : space.parameters()) {
        Integer achieved = column.get(p.name() + " achieved");
        int index =
            achieved != null && !text(row, achieved).isEmpty() ? achieved : column.get(p.name());
        Cell c = row.cell(index);
        if (c == null) {
          Cell last = row.last();
          report.error(row.line(), last.column(), "row has no cell for column '" + p.name() + "'");
          break;
        }
        CandidateTable.value(p, c, false, report).ifPresent(v -> point.put(p.name(), v));
      }
      if (point.size() != space.parameters().size()) continue;
      Point at = new Point(point);
      if (!space.contains(at)) {
        report.error(
            row.line(),
            1,
            "row outside the campaign's space: it breaks a constraint " + at.values());
        continue;
      }
      out.add(Observation.ok(at, values));
    }
    if (report.count() != before) return Optional.empty();
    return Optional.of(out);
  }

  private static String text(CsvTable.Row row, int index) {
    Cell c = row.cell(index);
    return c == null ? "" : c.text().trim();
  }
}
