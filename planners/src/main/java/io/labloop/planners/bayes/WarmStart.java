package io.labloop.planners.bayes;

import io.labloop.planners.Objective;
import io.labloop.planners.Observation;
import io.labloop.planners.PlanningState;
import io.labloop.planners.PriorData;
import io.labloop.planners.design.UnitCube;
import io.labloop.planners.gp.GaussianProcess;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The campaign's prior data ({@link PriorData}) as rows of the model.
 *
 * <p>Data from the campaign's own setting join the model as they are: to the Gaussian process they
 * are observations like the campaign's own. Data marked as another task (another substrate, another
 * instrument) are not assumed to be the same function. The model's input gains a categorical
 * parameter "task" — one one-hot column per task after the cube's columns, the campaign's own task
 * first — and the fit treats it like any categorical parameter ({@code MixedKernel}: a common
 * smooth part, a per-task offset and a task-dependent part, weighed by their fitted variances, with
 * a fitted length-scale for "different task"). So the model learns from the data how far the tasks
 * agree: if another task's responses follow this campaign's, its rows shape the model here; if they
 * do not, the task length-scale shrinks and they inform mainly the common trend. This is the
 * intrinsic-coregionalisation idea with one correlation shared by all pairs of different tasks,
 * which is what one-hot data can identify from a few dozen rows. Every point the planner scores,
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

  /** The usable prior rows of {@code state}: measured, with every objective. */
  static WarmStart of(PlanningState state, UnitCube cube) {
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
    return w;
  }

  /** The model's input width: the cube's, plus one column per task when there are several. */
  int dimension() {
    return tasks.size() > 1 ? cubeDimension + tasks.size() : cubeDimension;
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

  private double[] inTask(double[] u, int task) {
    if (tasks.size() == 1) return u;
    double[] out = Arrays.copyOf(u, dimension());
    out[cubeDimension + task] = 1;
    return out;
  }

  /** The parameter (group) of each model column: the cube's, then the task parameter. */
  int[] group(int[] parameterOfColumn) {
    if (tasks.size() == 1) return parameterOfColumn;
    int task = Arrays.stream(parameterOfColumn).max().orElse(-1) + 1;
    int[] out = Arrays.copyOf(parameterOfColumn, dimension());
    Arrays.fill(out, cubeDimension, out.length, task);
    return out;
  }

  /** Which groups are categorical: the cube's, and the task parameter. */
  boolean[] categorical(boolean[] categoricalParameters) {
    if (tasks.size() == 1) return categoricalParameters;
    boolean[] out = Arrays.copyOf(categoricalParameters, categoricalParameters.length + 1);
    out[out.length - 1] = true;
    return out;
  }

  /** Bounds for the polish: the cube, and the task columns held at the campaign's own task. */
  double[][] bounds() {
    double[] lo = new double[dimension()];
    double[] hi = new double[dimension()];
    Arrays.fill(hi, 0, cubeDimension, 1);
    if (tasks.size() > 1) {
      lo[cubeDimension] = 1;
      hi[cubeDimension] = 1;
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
