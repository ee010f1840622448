package io.labloop.planners.bayes;

import io.labloop.planners.Objective;
import io.labloop.planners.Observation;
import io.labloop.planners.PlanningState;
import io.labloop.planners.PriorData;
import io.labloop.planners.design.UnitCube;
import io.labloop.planners.gp.GaussianProcess;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The campaign's prior data ({@link PriorData}) as rows of the model.
 *
 * <p>Data from the campaign's own setting join the model as they are: to the Gaussian process they
 * are observations like the campaign's own. Data marked as another task (another substrate, another
 * instrument) are not assumed to be the same function. The model's input gains, per earlier task t,
 * a two-valued categorical parameter "from task t" (two one-hot columns after the cube's: [not t,
 * t]); a row of the campaign's own task has every one at "not", a row of task t has its own at "t".
 * The fit treats them like any categorical parameter ({@code MixedKernel}: a common smooth part,
 * offsets and a task-dependent part, weighed by their fitted variances), so each earlier task has
 * its own fitted length-scale for "differs from this campaign". The model learns from the data how
 * far <em>each</em> task agrees: a task whose responses follow this campaign's shapes the model
 * here; one that does not gets a short length-scale and informs mainly the common trend, without
 * pulling down the weight of the others. (Two earlier tasks are related only through the campaign's
 * own: their covariance is the product of each one's with it.) Every point the planner scores,
 * believes or polishes is in the campaign's own task (the polish holds the task columns fixed).
 *
 * <p>With no other task the input is the cube's own and nothing changes for the model.
 */
final class WarmStart {

  private final int cubeDimension;

  /** Task names, the campaign's own ("") first; one entry when every prior row is the same task. */
  private final List<String> tasks;

  private final List<Observation> observations = new ArrayList<>();
  private final List<double[]> positions = new ArrayList<>();

  private WarmStart(UnitCube cube, List<String> tasks) {
    this.cubeDimension = cube.dimension();
    this.tasks = List.copyOf(tasks);
  }

  /**
   * At most this many prior rows enter the model: beyond, a few hundred earlier points add little
   * next to the campaign's own and each costs O(n²) per suggestion.
   */
  static final int LIMIT = 250;

  /**
   * The usable prior rows of {@code state}: measured, with every objective; beyond {@value #LIMIT}
   * the best quarter by the first objective's loss and a random rest drawn with {@code seed}.
   */
  static WarmStart of(PlanningState state, UnitCube cube, long seed) {
    List<String> tasks = new ArrayList<>(List.of(""));
    for (PriorData p : state.prior()) if (!tasks.contains(p.task())) tasks.add(p.task());
    WarmStart w = new WarmStart(cube, tasks);
    for (PriorData p : state.prior()) {
      int task = tasks.indexOf(p.task());
      for (Observation o : p.observations()) {
        if (!o.isOk() || !hasAll(o, state.objectives())) continue;
        w.observations.add(o);
        w.positions.add(w.inTask(cube.encode(o.point()), task));
      }
    }
    if (w.observations.size() > LIMIT) w.thin(state.objectives().get(0), seed);
    return w;
  }

  private void thin(Objective objective, long seed) {
    int n = observations.size();
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) order[i] = i;
    double[] loss = new double[n];
    for (int i = 0; i < n; i++)
      loss[i] = objective.loss(observations.get(i).values().get(objective.name()));
    Arrays.sort(order, (a, b) -> loss[a] != loss[b] ? Double.compare(loss[a], loss[b]) : a - b);
    int best = LIMIT / 4;
    List<Integer> rest = new ArrayList<>(Arrays.asList(order).subList(best, n));
    Collections.shuffle(rest, new Random(seed));
    List<Integer> keep = new ArrayList<>(Arrays.asList(order).subList(0, best));
    keep.addAll(rest.subList(0, LIMIT - best));
    Collections.sort(keep);
    List<Observation> o = new ArrayList<>();
    List<double[]> p = new ArrayList<>();
    for (int i : keep) {
      o.add(observations.get(i));
      p.add(positions.get(i));
    }
    observations.clear();
    observations.addAll(o);
    positions.clear();
    positions.addAll(p);
  }

  /** The model's input width: the cube's, plus two columns per earlier task of another setting. */
  int dimension() {
    return cubeDimension + 2 * (tasks.size() - 1);
  }

  boolean isEmpty() {
    return observations.isEmpty();
  }

  /** The prior observations the model uses, in the order of {@link #positions}. */
  List<Observation> observations() {
    return observations;
  }

  /** Their model inputs (with task columns when there are several tasks). */
  List<double[]> positions() {
    return positions;
  }

  /** The prior observations made in the campaign's own setting. */
  List<Observation> sameTask(PlanningState state) {
    List<Observation> out = new ArrayList<>();
    for (PriorData p : state.prior())
      if (p.sameTask())
        for (Observation o : p.observations())
          if (o.isOk() && hasAll(o, state.objectives())) out.add(o);
    return out;
  }

  /** A cube position as a model input in the campaign's own task. */
  double[] own(double[] u) {
    return inTask(u, 0);
  }

  /** Task 0 is the campaign's own; task t ≥ 1 sets its parameter "from task t" to "t". */
  private double[] inTask(double[] u, int task) {
    if (tasks.size() == 1) return u;
    double[] out = Arrays.copyOf(u, dimension());
    for (int t = 1; t < tasks.size(); t++) out[column(t, t == task)] = 1;
    return out;
  }

  /** The column of "from task t" that is set when {@code from} says so, or the "not" column. */
  private int column(int t, boolean from) {
    return cubeDimension + 2 * (t - 1) + (from ? 1 : 0);
  }

  /** The parameter (group) of each model column: the cube's, then one per earlier task. */
  int[] group(int[] parameterOfColumn) {
    if (tasks.size() == 1) return parameterOfColumn;
    int next = Arrays.stream(parameterOfColumn).max().orElse(-1) + 1;
    int[] out = Arrays.copyOf(parameterOfColumn, dimension());
    for (int t = 1; t < tasks.size(); t++) {
      out[column(t, false)] = next + t - 1;
      out[column(t, true)] = next + t - 1;
    }
    return out;
  }

  /** Which groups are categorical: the cube's, and every task parameter. */
  boolean[] categorical(boolean[] categoricalParameters) {
    if (tasks.size() == 1) return categoricalParameters;
    boolean[] out =
        Arrays.copyOf(categoricalParameters, categoricalParameters.length + tasks.size() - 1);
    Arrays.fill(out, categoricalParameters.length, out.length, true);
    return out;
  }

  /** Bounds for the polish: the cube, and the task columns held at the campaign's own task. */
  double[][] bounds() {
    double[] lo = new double[dimension()];
    double[] hi = new double[dimension()];
    Arrays.fill(hi, 0, cubeDimension, 1);
    for (int t = 1; t < tasks.size(); t++) {
      lo[column(t, false)] = 1;
      hi[column(t, false)] = 1;
    }
    return new double[][] {lo, hi};
  }

  /**
   * How far each other task agrees with the campaign's own, as the fitted model sees it: the prior
   * correlation between the two tasks' differences f(u) − f(v) for the same pair of conditions,
   * averaged over consecutive pairs of {@code at} (cube positions). 1: the tasks rank conditions
   * alike (a constant offset between them does not count); 0: what one task says about which
   * conditions are better tells nothing about the other. Keyed {@code task.agreement.NAME}.
   */
  Map<String, Double> agreement(GaussianProcess gp, List<double[]> at) {
    Map<String, Double> out = new LinkedHashMap<>();
    if (at.size() < 2) return out;
    for (int t = 1; t < tasks.size(); t++) {
      double sum = 0;
      for (int i = 0; i + 1 < at.size(); i++) {
        double[] u = at.get(i);
        double[] v = at.get(i + 1);
        sum += gp.differenceCorrelation(own(u), own(v), inTask(u, t), inTask(v, t));
      }
      out.put("task.agreement." + tasks.get(t), sum / (at.size() - 1));
    }
    return out;
  }

  static boolean hasAll(Observation o, List<Objective> objectives) {
    for (Objective obj : objectives) {
      Double v = o.values().get(obj.name());
      if (v == null || !Double.isFinite(v)) return false;
    }
    return true;
  }
}
