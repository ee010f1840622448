package io.labloop.orchestrator.config;

import io.labloop.planners.CandidatePool;
import io.labloop.planners.Constraint;
import io.labloop.planners.Parameter;
import io.labloop.planners.Point;
import io.labloop.planners.Space;
import io.labloop.settings.Spelling;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The search space of a campaign: {@code parameters:}, an optional {@code candidates:} pool (which
 * may supply the values of categorical and discrete parameters that leave them out), and {@code
 * constraints:}, each parsed and checked to hold somewhere in the space.
 */
final class SpaceReader {

  static final List<String> TYPES = List.of("continuous", "integer", "discrete", "categorical");
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final CampaignReader.Files files;

  SpaceReader(CampaignReader.Files files) {
    this.files = files;
  }

  /**
   * What was read.
   *
   * @param declared every parameter written, by name, with its map (for positions); references
   *     resolve against these even when one of them has a problem
   * @param parameters the parameters that were read without problems
   * @param space present when every parameter and constraint is fine
   */
  record Result(
      Map<String, Fields> declared,
      Map<String, Parameter> parameters,
      Optional<CandidatePool> pool,
      Optional<Space> space) {

    boolean complete() {
      return !declared.isEmpty() && declared.size() == parameters.size();
    }
  }

  Result read(Fields c, Path dir, Report report) {
    Map<String, Fields> declared = new LinkedHashMap<>();
    Map<String, Parameter> params = new LinkedHashMap<>();
    Set<String> open = new LinkedHashSet<>();
    boolean hasPool = c.has("candidates");
    if (c.require("parameters", "a map of parameters by name")) {
      c.section("parameters", "a map of parameters by name")
          .ifPresent(
              ps -> {
                if (ps.map().entries().isEmpty())
                  report.error(ps.map(), "no parameters (expected at least one)");
                ps.map()
                    .entries()
                    .values()
                    .forEach(
                        e -> {
                          if (!IDENTIFIER.matcher(e.key()).matches()) {
                            report.error(
                                e.keyPos(),
                                "parameter name '"
                                    + e.key()
                                    + "' (expected letters, digits and _, starting with a letter, so constraints can use it)");
                          }
                          Fields.of(
                                  e.value(),
                                  report,
                                  "a map with type: continuous, integer, discrete or categorical")
                              .ifPresent(
                                  pf -> {
                                    declared.put(e.key(), pf);
                                    parameter(e.key(), pf, hasPool, open)
                                        .ifPresent(p -> params.put(e.key(), p));
                                  });
                        });
              });
    }
    boolean complete = !declared.isEmpty() && declared.size() == params.size();
    int before = report.count();
    Optional<CandidatePool> pool =
        hasPool && complete ? candidates(c, dir, params, open, report) : Optional.empty();
    List<Parameter> parameters = new ArrayList<>(params.values());
    List<Constraint> constraints = complete ? constraints(c, parameters, pool, report) : List.of();
    Optional<Space> space =
        complete && report.count() == before && (!hasPool || pool.isPresent())
            ? Optional.of(new Space(parameters, constraints, pool))
            : Optional.empty();
    return new Result(declared, params, pool, space);
  }

  private static Optional<Parameter> parameter(
      String name, Fields p, boolean hasPool, Set<String> open) {
    Report report = p.report();
    if (!p.require("type", "one of " + String.join(", ", TYPES))) return Optional.empty();
    Optional<String> type = p.choice("type", TYPES);
    if (type.isEmpty()) return Optional.empty();
    int before = report.count();
    String unit = p.string("unit").orElse("");
    switch (type.get()) {
      case "continuous" -> {
        p.allowOnly(List.of("type", "min", "max", "scale", "unit", "description"));
        p.require("min", "the lowest value to try");
        p.require("max", "the highest value to try");
        Optional<Double> min = p.number("min");
        Optional<Double> max = p.number("max");
        Parameter.Scale scale =
            p.choice("scale", List.of("linear", "log"))
                .map(s -> s.equals("log") ? Parameter.Scale.LOG : Parameter.Scale.LINEAR)
                .orElse(Parameter.Scale.LINEAR);
        if (min.isPresent() && max.isPresent()) {
          if (min.get() >= max.get()) {
            report.error(
                p.node("max").orElseThrow(),
                "max "
                    + Numbers.text(max.get())
                    + " is not above min "
                    + Numbers.text(min.get())
                    + " (expected min < max)");
          } else if (scale == Parameter.Scale.LOG && min.get() <= 0) {
            report.error(
                p.node("min").orElseThrow(),
                "min "
                    + Numbers.text(min.get())
                    + " on a log scale (expected min > 0 with scale: log)");
          }
        }
        if (report.count() != before || min.isEmpty() || max.isEmpty()) return Optional.empty();
        return Optional.of(new Parameter.Continuous(name, min.get(), max.get(), scale, unit));
      }
      case "integer" -> {
        p.allowOnly(List.of("type", "min", "max", "unit", "description"));
        p.require("min", "the lowest whole number to try");
        p.require("max", "the highest whole number to try");
        OptionalLong min = p.whole("min", Long.MIN_VALUE);
        OptionalLong max = p.whole("max", Long.MIN_VALUE);
        if (min.isPresent() && max.isPresent() && min.getAsLong() >= max.getAsLong()) {
          report.error(
              p.node("max").orElseThrow(),
              "max "
                  + max.getAsLong()
                  + " is not above min "
                  + min.getAsLong()
                  + " (expected min < max)");
        }
        if (report.count() != before || min.isEmpty() || max.isEmpty()) return Optional.empty();
        return Optional.of(
            new Parameter.IntegerRange(name, min.getAsLong(), max.getAsLong(), unit));
      }
      case "discrete" -> {
        p.allowOnly(List.of("type", "values", "unit", "description"));
        List<Double> values = new ArrayList<>();
        if (!p.has("values") && hasPool) {
          open.add(name);
          return Optional.of(new Parameter.Discrete(name, List.of(0.0), unit));
        }
        if (!p.require("values", "a list of numbers, e.g. values: [0.5, 1, 2]"))
          return Optional.empty();
        p.list("values", "a list of numbers")
            .ifPresent(
                items -> {
                  if (items.isEmpty())
                    report.error(
                        p.node("values").orElseThrow(),
                        "empty list of values (expected at least one number)");
                  for (YamlNode item : items) {
                    p.number(item, "values")
                        .ifPresent(
                            v -> {
                              if (values.contains(v))
                                report.error(
                                    item,
                                    Numbers.text(v)
                                        + " is listed twice (expected each value once)");
                              else values.add(v);
                            });
                  }
                });
        if (report.count() != before || values.isEmpty()) return Optional.empty();
        return Optional.of(new Parameter.Discrete(name, values, unit));
      }
      default -> {
        p.allowOnly(List.of("type", "values", "description"));
        List<String> values = new ArrayList<>();
        if (!p.has("values") && hasPool) {
          open.add(name);
          return Optional.of(new Parameter.Categorical(name, List.of("?")));
        }
        if (!p.require("values", "a list of names, e.g. values: [water, ethanol]"))
          return Optional.empty();
        p.list("values", "a list of names")
            .ifPresent(
                items -> {
                  if (items.isEmpty())
                    report.error(
                        p.node("values").orElseThrow(),
                        "empty list of values (expected at least one name)");
                  for (YamlNode item : items) {
                    p.text(item, "values")
                        .ifPresent(
                            v -> {
                              if (values.contains(v))
                                report.error(
                                    item, "'" + v + "' is listed twice (expected each value once)");
                              else values.add(v);
                            });
                  }
                });
        if (report.count() != before || values.isEmpty()) return Optional.empty();
        return Optional.of(new Parameter.Categorical(name, values));
      }
    }
  }

  /**
   * Reads the pool; parameters that left out {@code values:} get the values found in their column.
   */
  private Optional<CandidatePool> candidates(
      Fields c, Path dir, Map<String, Parameter> params, Set<String> open, Report report) {
    Optional<Fields> f =
        c.section("candidates", "a map with file: a CSV of the conditions that can be made");
    if (f.isEmpty()) return Optional.empty();
    Fields cand = f.get();
    cand.allowOnly(List.of("file", "description"));
    if (!cand.require(
        "file", "a CSV file with a column per parameter, relative to the campaign file"))
      return Optional.empty();
    Optional<String> name = cand.string("file");
    if (name.isEmpty()) return Optional.empty();
    Path csv = dir.resolve(name.get()).normalize();
    if (!java.nio.file.Files.isRegularFile(csv)) {
      report.error(
          cand.node("file").orElseThrow(),
          "candidates file '"
              + name.get()
              + "' not found (expected a CSV file, relative to the campaign file)");
      return Optional.empty();
    }
    Report csvReport = files.report(csv);
    Optional<String> text = files.read(csv, csvReport);
    if (text.isEmpty()) return Optional.empty();
    Map<String, Set<String>> collected = new LinkedHashMap<>();
    Optional<List<Point>> rows =
        CandidateTable.read(text.get(), List.copyOf(params.values()), open, collected, csvReport);
    if (rows.isEmpty()) return Optional.empty();
    for (String n : open) {
      Parameter p = params.get(n);
      List<String> found = new ArrayList<>(collected.getOrDefault(n, Set.of()));
      if (p instanceof Parameter.Discrete d) {
        params.put(
            n,
            new Parameter.Discrete(
                n, found.stream().map(Double::parseDouble).distinct().toList(), d.unit()));
      } else {
        params.put(n, new Parameter.Categorical(n, found));
      }
    }
    return Optional.of(new CandidatePool(rows.get(), csv.getFileName().toString()));
  }

  private static List<Constraint> constraints(
      Fields c, List<Parameter> parameters, Optional<CandidatePool> pool, Report report) {
    Optional<List<YamlNode>> items =
        c.list("constraints", "a list of comparisons, e.g. - \"temperature * time <= 6000\"");
    if (items.isEmpty()) return List.of();
    Set<String> names = new LinkedHashSet<>();
    parameters.forEach(p -> names.add(p.name()));
    ConstraintCheck check = new ConstraintCheck(parameters, pool.map(CandidatePool::rows));
    List<Constraint> constraints = new ArrayList<>();
    List<ConstraintCheck.Comparison> comparisons = new ArrayList<>();
    boolean allRead = true;
    for (YamlNode item : items.get()) {
      Optional<String> text = c.text(item, "constraints");
      if (text.isEmpty()) {
        allRead = false;
        continue;
      }
      try {
        ConstraintCheck.Comparison cmp = check.parse(text.get());
        List<String> unknown = cmp.variables().stream().filter(v -> !names.contains(v)).toList();
        if (!unknown.isEmpty()) {
          String u = unknown.get(0);
          report.error(
              item,
              "constraint uses '"
                  + u
                  + "', which is not a parameter ("
                  + Spelling.hint(u, names)
                  + ")");
          allRead = false;
          continue;
        }
        constraints.add(Constraint.parse(text.get(), names));
        Optional<String> never = check.unsatisfiable(cmp);
        if (never.isPresent()) {
          report.error(item, never.get());
          allRead = false;
        } else {
          comparisons.add(cmp);
        }
      } catch (IllegalArgumentException e) {
        report.error(item, e.getMessage());
        allRead = false;
      }
    }
    if (allRead && comparisons.size() > 1) {
      check
          .unsatisfiableTogether(comparisons)
          .ifPresent(m -> report.error(c.keyPos("constraints"), m));
    }
    return constraints;
  }
}
