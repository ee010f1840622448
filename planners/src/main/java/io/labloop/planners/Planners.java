package io.labloop.planners;

import io.labloop.planners.bayes.Bayesian;
import io.labloop.planners.design.Designs;
import io.labloop.planners.gp.NoiseModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link Planner} from a campaign's {@code planner:} block and checks such a block.
 *
 * <p>Types and their options:
 *
 * <ul>
 *   <li>{@code random}, {@code sobol}: no options;
 *   <li>{@code lhs}: {@code points} (rows per Latin hypercube, default 20);
 *   <li>{@code grid}: {@code levels} (values per continuous parameter, default 5);
 *   <li>{@code replay}: {@code file} (a CSV whose header names the parameters; the caller resolves
 *       it to an absolute path before {@link #create});
 *   <li>{@code bayesian}: {@code initial} (space-filling points before the model, default max(5, 2
 *       × parameters)), {@code acquisition} ({@code ei} | {@code ucb} | {@code pi} | {@code hedge}
 *       | {@code ehvi} | {@code parego}, default {@code ei}; with two or three objectives the
 *       default, {@code ei} and {@code ehvi} mean expected hypervolume improvement, {@code parego}
 *       a random Chebyshev scalarisation with EI, and {@code ucb}, {@code pi}, {@code hedge} ParEGO
 *       with that acquisition), {@code beta} (exploration weight of {@code ucb}, also inside {@code
 *       hedge}, default 2), {@code batch} (suggestions per call, default 1), {@code noise} ({@code
 *       auto}: fitted, the default; {@code none}: exact measurements; a number: the measurement's
 *       standard deviation in the objective's units, see {@link
 *       io.labloop.planners.gp.NoiseModel}), {@code hyperparameter-samples} (draws of the GP
 *       hyperparameters the acquisition is averaged over while data are few, default 0: the single
 *       best fit; 16 was measured).
 * </ul>
 *
 * Every type also accepts {@code batch}. The seed is {@link PlannerSpec#seed()}.
 */
public final class Planners {

  public static final List<String> TYPES =
      List.of("random", "sobol", "lhs", "grid", "replay", "bayesian");

  private static final Map<String, Set<String>> OPTIONS =
      Map.of(
          "random", Set.of("batch"),
          "sobol", Set.of("batch"),
          "lhs", Set.of("batch", "points"),
          "grid", Set.of("batch", "levels"),
          "replay", Set.of("batch", "file"),
          "bayesian",
              Set.of(
                  "batch",
                  "initial",
                  "acquisition",
                  "beta",
                  "noise",
                  "hyperparameter-samples",
                  "trust-region"));

  /** The {@code acquisition:} values of the bayesian planner. */
  public static final List<String> ACQUISITIONS =
      List.of("ei", "ucb", "pi", "hedge", "ehvi", "parego");

  private Planners() {}

  /**
   * The planner the block describes.
   *
   * @throws IllegalArgumentException with every problem {@link #check} would report
   */
  public static Planner create(PlannerSpec spec) {
    List<PlannerProblem> problems = check(spec, null);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "planner: "
              + String.join("; ", problems.stream().map(PlannerProblem::toString).toList()));
    }
    String type = spec.type().toLowerCase(Locale.ROOT);
    Map<String, Object> o = spec.options();
    return switch (type) {
      case "random" -> Designs.random(spec.seed());
      case "sobol" -> Designs.sobol(spec.seed());
      case "lhs" -> Designs.lhs(spec.seed(), intOption(o, "points", 20));
      case "grid" -> Designs.grid(intOption(o, "levels", 5));
      case "replay" -> Designs.replay(Path.of(o.get("file").toString()));
      case "bayesian" -> {
        Bayesian.Builder b =
            Bayesian.builder()
                .seed(spec.seed())
                .initial(
                    o.containsKey("initial") ? intOption(o, "initial", 0) : Bayesian.AUTO_INITIAL)
                .beta(doubleOption(o, "beta", 2.0));
        // Without the option the builder's default applies, so the default lives in one place.
        if (o.containsKey("noise")) b.noise(noise(o.get("noise")));
        if (o.containsKey("hyperparameter-samples"))
          b.hyperparameterSamples(intOption(o, "hyperparameter-samples", 0));
        if (o.containsKey("trust-region"))
          b.trustRegion(Boolean.parseBoolean(o.get("trust-region").toString()));
        if (o.containsKey("acquisition")) {
          String a = o.get("acquisition").toString().toLowerCase(Locale.ROOT);
          // ehvi: one objective is plain EI; parego: EI on the scalarisation. ei keeps EHVI for
          // several objectives (EHVI is EI's multi-objective form); ucb, pi and hedge need one
          // scalar, so several objectives get ParEGO with them.
          switch (a) {
            case "ehvi", "ei" -> b.acquisition(Bayesian.Acquisition.EI);
            case "parego" ->
                b.acquisition(Bayesian.Acquisition.EI)
                    .multiObjective(Bayesian.MultiObjective.PAREGO);
            default ->
                b.acquisition(Bayesian.Acquisition.valueOf(a.toUpperCase(Locale.ROOT)))
                    .multiObjective(Bayesian.MultiObjective.PAREGO);
          }
        }
        yield b.build();
      }
      default -> throw new IllegalStateException("checked above: " + type);
    };
  }

  /** Suggestions per call the block asks for ({@code batch}, default 1). */
  public static int batch(PlannerSpec spec) {
    return intOption(spec.options(), "batch", 1);
  }

  /**
   * Every problem with {@code spec}, none if it can be built. {@code space} may be null, in which
   * case checks that need it (the replay file's columns) are skipped.
   */
  public static List<PlannerProblem> check(PlannerSpec spec, @Nullable Space space) {
    List<PlannerProblem> problems = new ArrayList<>();
    String type = spec.type() == null ? "" : spec.type().toLowerCase(Locale.ROOT);
    if (!OPTIONS.containsKey(type)) {
      problems.add(
          new PlannerProblem(
              "", "unknown planner type '" + spec.type() + "'; expected one of " + TYPES));
      return problems;
    }
    Map<String, Object> o = spec.options();
    for (String key : o.keySet()) {
      if (!OPTIONS.get(type).contains(key)) {
        problems.add(
            new PlannerProblem(
                key,
                "not an option of the "
                    + type
                    + " planner; its options are "
                    + OPTIONS.get(type).stream().sorted().toList()));
      }
    }
    positiveInt(o, "batch", 1, problems);
    positiveInt(o, "points", 1, problems);
    positiveInt(o, "levels", 2, problems);
    positiveInt(o, "initial", 1, problems);
    positiveInt(o, "hyperparameter-samples", 0, problems);
    if (o.containsKey("acquisition")) {
      String a = o.get("acquisition").toString().toLowerCase(Locale.ROOT);
      if (!ACQUISITIONS.contains(a)) {
        problems.add(
            new PlannerProblem(
                "acquisition",
                "'" + o.get("acquisition") + "' is not one of " + String.join(", ", ACQUISITIONS)));
      }
      if (o.containsKey("beta") && !"ucb".equals(a) && !"hedge".equals(a)) {
        problems.add(new PlannerProblem("beta", "only used with acquisition: ucb or hedge"));
      }
    } else if (o.containsKey("beta")) {
      problems.add(new PlannerProblem("beta", "only used with acquisition: ucb or hedge"));
    }
    if (o.containsKey("beta")) {
      Object b = o.get("beta");
      if (!(b instanceof Number n) || !(n.doubleValue() > 0)) {
        problems.add(new PlannerProblem("beta", "expected a positive number, got '" + b + "'"));
      }
    }
    if (o.containsKey("trust-region")) {
      String t = o.get("trust-region").toString();
      if (!t.equals("true") && !t.equals("false"))
        problems.add(new PlannerProblem("trust-region", "expected true or false, got '" + t + "'"));
    }
    if (o.containsKey("noise")) {
      try {
        noise(o.get("noise"));
      } catch (IllegalArgumentException e) {
        problems.add(new PlannerProblem("noise", e.getMessage()));
      }
    }
    if ("replay".equals(type)) {
      Object file = o.get("file");
      if (file == null || file.toString().isBlank()) {
        problems.add(
            new PlannerProblem("file", "missing; the replay planner needs a CSV of points"));
      } else if (!Files.isReadable(Path.of(file.toString()))) {
        problems.add(new PlannerProblem("file", "cannot read '" + file + "'"));
      } else if (space != null) {
        try {
          if (Designs.readCsv(Path.of(file.toString()), space).isEmpty()) {
            problems.add(new PlannerProblem("file", "'" + file + "' has a header but no points"));
          }
        } catch (IllegalArgumentException e) {
          problems.add(new PlannerProblem("file", e.getMessage()));
        }
      }
    }
    return problems;
  }

  /**
   * The {@code noise:} setting: {@code auto}, {@code none}, or the measurement's standard deviation
   * (a number ≥ 0; 0 is the same as none).
   *
   * @throws IllegalArgumentException naming what is expected
   */
  public static NoiseModel noise(Object value) {
    if (value instanceof Number n) {
      double sd = n.doubleValue();
      if (!(sd >= 0) || !Double.isFinite(sd)) {
        throw new IllegalArgumentException(
            "expected auto, none or a standard deviation >= 0, got '" + value + "'");
      }
      return new NoiseModel.Fixed(sd);
    }
    String text = value == null ? "" : value.toString().strip().toLowerCase(Locale.ROOT);
    return switch (text) {
      case "auto" -> NoiseModel.FITTED;
      case "none" -> NoiseModel.NONE;
      default ->
          throw new IllegalArgumentException(
              "expected auto (fitted), none (exact measurements) or the measurement's "
                  + "standard deviation in the objective's units, got '"
                  + value
                  + "'");
    };
  }

  private static void positiveInt(
      Map<String, Object> o, String key, int min, List<PlannerProblem> problems) {
    if (!o.containsKey(key)) return;
    Object v = o.get(key);
    if (!(v instanceof Number n)
        || n.doubleValue() != Math.rint(n.doubleValue())
        || n.doubleValue() < min) {
      problems.add(
          new PlannerProblem(key, "expected a whole number >= " + min + ", got '" + v + "'"));
    }
  }

  private static int intOption(Map<String, Object> o, String key, int fallback) {
    Object v = o.get(key);
    return v instanceof Number n ? n.intValue() : fallback;
  }

  private static double doubleOption(Map<String, Object> o, String key, double fallback) {
    Object v = o.get(key);
    return v instanceof Number n ? n.doubleValue() : fallback;
  }
}
