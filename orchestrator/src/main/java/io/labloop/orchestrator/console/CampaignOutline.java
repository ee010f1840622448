package io.labloop.orchestrator.console;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * What the console and the report need from a stored campaign file: its parameters, objectives
 * (with their goals, to tell "better" from "worse"), planner settings and budget.
 *
 * <p>Read from the exact text kept in the store rather than through the config loader, because the
 * loader also needs the lab file, which may have moved or changed since the run started; a file the
 * loader accepted once always has these sections. Anything missing or odd gives an empty list or
 * map instead of an error: this only labels plots.
 *
 * @param name the {@code campaign:} name
 * @param parameters by name, in file order
 * @param objectives in file order
 * @param planner the {@code planner:} section as written
 * @param budgetExperiments the experiment budget, or 0 when there is none
 */
public record CampaignOutline(
    String name,
    Map<String, Parameter> parameters,
    List<Goal> objectives,
    Map<String, Object> planner,
    int budgetExperiments) {

  /**
   * One parameter.
   *
   * @param type continuous, integer, discrete or categorical
   * @param min lower bound (NaN for categorical)
   * @param max upper bound (NaN for categorical)
   * @param values the categories (empty unless categorical)
   * @param unit as written, or ""
   * @param log true for {@code scale: log}
   */
  public record Parameter(
      String name,
      String type,
      double min,
      double max,
      List<String> values,
      String unit,
      boolean log) {}

  /**
   * One objective.
   *
   * @param goal maximize, minimize or target
   * @param target the target value (NaN unless goal is target)
   */
  public record Goal(String name, String goal, double target, String unit) {
    /** Smaller is better: what the planner minimises. */
    public double loss(double v) {
      return switch (goal) {
        case "maximize" -> -v;
        case "target" -> Math.abs(v - target);
        default -> v;
      };
    }

    public String describe() {
      String u = unit.isEmpty() ? "" : " " + unit;
      return switch (goal) {
        case "maximize" -> "maximise";
        case "target" -> "target " + Numbers.format(target) + u;
        default -> "minimise";
      };
    }
  }

  /** Parses the campaign text; never throws for odd content. */
  public static CampaignOutline parse(String yaml) {
    Object root;
    try {
      root =
          new Load(LoadSettings.builder().setAllowDuplicateKeys(true).build()).loadFromString(yaml);
    } catch (RuntimeException e) {
      root = Map.of();
    }
    Map<?, ?> top = root instanceof Map<?, ?> m ? m : Map.of();
    Map<String, Parameter> params = new LinkedHashMap<>();
    if (top.get("parameters") instanceof Map<?, ?> ps) {
      ps.forEach(
          (k, v) -> {
            Map<?, ?> p = v instanceof Map<?, ?> pm ? pm : Map.of();
            List<String> values = new ArrayList<>();
            if (p.get("values") instanceof List<?> vs)
              vs.forEach(x -> values.add(String.valueOf(x)));
            params.put(
                String.valueOf(k),
                new Parameter(
                    String.valueOf(k),
                    text(p.get("type"), "continuous"),
                    number(p.get("min")),
                    number(p.get("max")),
                    values,
                    text(p.get("unit"), ""),
                    "log".equals(p.get("scale"))));
          });
    }
    List<Goal> goals = new ArrayList<>();
    if (top.get("objectives") instanceof List<?> os) {
      for (Object o : os) {
        if (!(o instanceof Map<?, ?> om) || om.get("name") == null) continue;
        String goal = text(om.get("goal"), "minimize").toLowerCase(java.util.Locale.ROOT);
        if (goal.startsWith("max")) goal = "maximize";
        else if (goal.startsWith("min")) goal = "minimize";
        goals.add(
            new Goal(
                String.valueOf(om.get("name")),
                goal,
                number(om.get("value")),
                text(om.get("unit"), "")));
      }
    }
    Map<String, Object> planner = new LinkedHashMap<>();
    if (top.get("planner") instanceof Map<?, ?> pm)
      pm.forEach((k, v) -> planner.put(String.valueOf(k), v));
    int budget = 0;
    if (top.get("budget") instanceof Map<?, ?> bm && bm.get("experiments") instanceof Number n)
      budget = n.intValue();
    return new CampaignOutline(text(top.get("campaign"), ""), params, goals, planner, budget);
  }

  /** The objective named {@code name}, or a minimise goal when the file does not say. */
  public Goal goal(String name) {
    return objectives.stream()
        .filter(g -> g.name().equals(name))
        .findFirst()
        .orElse(new Goal(name, "minimize", Double.NaN, ""));
  }

  private static String text(Object o, String otherwise) {
    return o == null ? otherwise : String.valueOf(o);
  }

  private static double number(Object o) {
    return o instanceof Number n ? n.doubleValue() : Double.NaN;
  }
}
