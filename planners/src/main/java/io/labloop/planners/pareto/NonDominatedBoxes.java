package io.labloop.planners.pareto;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The region a new point could still add hypervolume in — below the reference point and not
 * dominated by the front — cut into disjoint axis-aligned boxes, exactly. Losses: smaller is
 * better.
 *
 * <p>Construction (a column decomposition, exact in any number of objectives, used here for 2 and
 * 3): the distinct front coordinates below the reference cut each of the first m − 1 axes into
 * intervals (from −∞ to the reference). A column is one cell of that grid; for its lower corner l,
 * the front points that can dominate anything in it are those with {@code p_k <= l_k} on the first
 * m − 1 axes, so the non-dominated part of the column is the last axis from −∞ up to the smallest
 * last coordinate among them (or the reference if there are none). With n front points that is at
 * most (n + 1)^(m−1) boxes: n + 1 strips for two objectives (the standard 2-D decomposition), (n +
 * 1)² columns for three.
 *
 * <p>Boxes are stored as indices into per-axis coordinate tables ({@link #levels}) so that a caller
 * can evaluate a function of each coordinate once per axis and combine the values per box, which is
 * what makes expected hypervolume improvement cheap over thousands of candidates.
 */
public final class NonDominatedBoxes {

  private final double[][] levels;
  private final int[][] lower;
  private final int[][] upper;

  private NonDominatedBoxes(double[][] levels, int[][] lower, int[][] upper) {
    this.levels = levels;
    this.lower = lower;
    this.upper = upper;
  }

  /**
   * The decomposition for {@code front} (any set of points; dominated ones and those not below the
   * reference on every axis are ignored) and {@code reference}.
   */
  public static NonDominatedBoxes of(List<double[]> front, double[] reference) {
    int m = reference.length;
    List<double[]> inside = new ArrayList<>();
    for (double[] p : front) {
      boolean below = p.length == m;
      for (int k = 0; k < m && below; k++) below = p[k] < reference[k];
      if (below) inside.add(p);
    }
    List<double[]> nd = new ArrayList<>();
    for (int i : Pareto.front(inside)) nd.add(inside.get(i));
    // Axis k's levels: −∞, the sorted distinct front coordinates, the reference.
    double[][] levels = new double[m][];
    for (int k = 0; k < m; k++) {
      final int axis = k;
      double[] inner = nd.stream().mapToDouble(p -> p[axis]).distinct().sorted().toArray();
      double[] l = new double[inner.length + 2];
      l[0] = Double.NEGATIVE_INFINITY;
      System.arraycopy(inner, 0, l, 1, inner.length);
      l[l.length - 1] = reference[k];
      levels[k] = l;
    }
    int last = m - 1;
    List<int[]> lows = new ArrayList<>();
    List<int[]> highs = new ArrayList<>();
    int[] cell = new int[last];
    // Walk every column of the grid over the first m − 1 axes (odometer order).
    while (true) {
      double top = reference[last];
      for (double[] p : nd) {
        boolean covers = true;
        for (int k = 0; k < last && covers; k++) covers = p[k] <= levels[k][cell[k]];
        if (covers) top = Math.min(top, p[last]);
      }
      int topIndex = Arrays.binarySearch(levels[last], 1, levels[last].length, top);
      if (topIndex > 0) {
        int[] lo = new int[m];
        int[] hi = new int[m];
        for (int k = 0; k < last; k++) {
          lo[k] = cell[k];
          hi[k] = cell[k] + 1;
        }
        lo[last] = 0;
        hi[last] = topIndex;
        lows.add(lo);
        highs.add(hi);
      }
      int k = 0;
      while (k < last && ++cell[k] == levels[k].length - 1) cell[k++] = 0;
      if (k == last) break;
    }
    return new NonDominatedBoxes(levels, lows.toArray(int[][]::new), highs.toArray(int[][]::new));
  }

  public int objectives() {
    return levels.length;
  }

  public int size() {
    return lower.length;
  }

  /** Axis k's coordinates: −∞, the front's distinct values in increasing order, the reference. */
  public double[] levels(int k) {
    return levels[k].clone();
  }

  /** Box b's lower corner as indices into {@link #levels} (the first is −∞). */
  public int lowerIndex(int b, int k) {
    return lower[b][k];
  }

  /** Box b's upper corner as indices into {@link #levels}. */
  public int upperIndex(int b, int k) {
    return upper[b][k];
  }

  /**
   * The hypervolume {@code y} would add to the front: the volume of {@code [y, reference]} inside
   * the boxes, {@code Σ_b Π_k (u_k − max(l_k, y_k))₊}.
   */
  public double improvement(double[] y) {
    double total = 0;
    for (int b = 0; b < lower.length; b++) {
      double v = 1;
      for (int k = 0; k < levels.length && v > 0; k++) {
        double u = levels[k][upper[b][k]];
        double l = Math.max(levels[k][lower[b][k]], y[k]);
        v *= Math.max(0, u - l);
      }
      total += v;
    }
    return total;
  }
}
