package io.labloop.planners.gp;

import java.util.Arrays;

/**
 * Covariance for spaces with categorical parameters (the form of BoTorch's {@code
 * MixedSingleTaskGP}): an ARD Matérn-5/2 kernel m on the continuous columns, a categorical kernel c
 * on the categorical parameters, combined as {@code k = s_m² m + s_c² c + s_p² m·c}.
 *
 * <p>The categorical kernel is {@code c(x, y) = exp(-(1/C) Σ_p [x_p ≠ y_p] / l_p)} over the C
 * categorical parameters, with a length-scale per parameter: it sees only whether two values are
 * the same, so every pair of values of a parameter is equally alike (one-hot data can tell no
 * more). Why the sum as well as the product: with the product alone (and with one-hot columns
 * inside one Matérn, which behaves the same way) what is learnt about a ligand at one temperature
 * transfers to another temperature only through the product's smooth continuous part, and what is
 * learnt about the temperature transfers across ligands only as far as the categorical kernel
 * allows. The sum adds a term in which a categorical value has an effect of its own, the same under
 * all continuous settings, and a continuous trend common to every value; the fit weighs these
 * against the interaction term by their signal variances. Chemical responses are often like that: a
 * better ligand is better at most conditions.
 *
 * <p>A categorical parameter occupies its one-hot columns of the unit cube; its value is the column
 * with the largest coordinate. The kernel is flat in those columns, so its input gradient there is
 * zero and gradient ascent moves only the continuous columns.
 *
 * <p>With no continuous column the kernel is {@code s² c}.
 */
final class MixedKernel implements Covariance {

  private final int dimension;

  /** Continuous columns and their length-scales. */
  private final int[] continuous;

  private final double[] continuousLengthscale;

  /** Per categorical parameter: its one-hot columns, and its length-scale. */
  private final int[][] categories;

  private final double[] categoryLengthscale;

  /** s_m², s_c², s_p² (only s_c² is used when there is no continuous column). */
  private final double maternVariance;

  private final double categoricalVariance;
  private final double productVariance;

  MixedKernel(
      int dimension,
      int[] continuous,
      double[] continuousLengthscale,
      int[][] categories,
      double[] categoryLengthscale,
      double maternVariance,
      double categoricalVariance,
      double productVariance) {
    if (categories.length == 0)
      throw new IllegalArgumentException("a mixed kernel needs a categorical parameter");
    this.dimension = dimension;
    this.continuous = continuous.clone();
    this.continuousLengthscale = continuousLengthscale.clone();
    this.categories = Arrays.stream(categories).map(int[]::clone).toArray(int[][]::new);
    this.categoryLengthscale = categoryLengthscale.clone();
    this.maternVariance = continuous.length == 0 ? 0 : maternVariance;
    this.categoricalVariance = categoricalVariance;
    this.productVariance = continuous.length == 0 ? 0 : productVariance;
  }

  /**
   * Number of signal variances among the hyperparameters: three, or one without continuous columns.
   */
  static int varianceCount(boolean hasContinuous) {
    return hasContinuous ? 3 : 1;
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public double lengthscale(int j) {
    for (int i = 0; i < continuous.length; i++)
      if (continuous[i] == j) return continuousLengthscale[i];
    for (int p = 0; p < categories.length; p++)
      for (int c : categories[p]) if (c == j) return categoryLengthscale[p];
    throw new IndexOutOfBoundsException("column " + j);
  }

  @Override
  public double variance() {
    return maternVariance + categoricalVariance + productVariance;
  }

  private double maternDistance(double[] x, double[] y) {
    double s = 0;
    for (int i = 0; i < continuous.length; i++) {
      double d = (x[continuous[i]] - y[continuous[i]]) / continuousLengthscale[i];
      s += d * d;
    }
    return Math.sqrt(s);
  }

  /** Unit-variance Matérn-5/2 of the scaled distance. */
  private static double matern(double r) {
    return (1 + ArdMatern52.SQRT5 * r + 5.0 / 3.0 * r * r) * Math.exp(-ArdMatern52.SQRT5 * r);
  }

  /** {@code -(1/r) dm/dr}: so that {@code ∂m/∂x_j = -factor (x_j - y_j) / l_j²}. */
  private static double maternFactor(double r) {
    return 5.0 / 3.0 * (1 + ArdMatern52.SQRT5 * r) * Math.exp(-ArdMatern52.SQRT5 * r);
  }

  private static boolean differ(double[] x, double[] y, int[] columns) {
    return argmax(x, columns) != argmax(y, columns);
  }

  private static int argmax(double[] x, int[] columns) {
    int best = 0;
    for (int k = 1; k < columns.length; k++) if (x[columns[k]] > x[columns[best]]) best = k;
    return best;
  }

  private double categorical(double[] x, double[] y) {
    double s = 0;
    for (int p = 0; p < categories.length; p++)
      if (differ(x, y, categories[p])) s += 1 / categoryLengthscale[p];
    return Math.exp(-s / categories.length);
  }

  @Override
  public double k(double[] x, double[] y) {
    double c = categorical(x, y);
    if (continuous.length == 0) return categoricalVariance * c;
    double m = matern(maternDistance(x, y));
    return maternVariance * m + categoricalVariance * c + productVariance * m * c;
  }

  @Override
  public void addHyperparameterGradient(
      double[] x, double[] y, double weight, int[] group, double[] gradient) {
    double c = categorical(x, y);
    int last = gradient.length - 1;
    // The categorical kernel enters through s_c² c, and s_p² m c when there are continuous columns.
    double categoricalOuter;
    if (continuous.length == 0) {
      gradient[last - 1] += weight * categoricalVariance * c;
      categoricalOuter = categoricalVariance;
    } else {
      double r = maternDistance(x, y);
      double m = matern(r);
      // ∂m/∂log l_j = factor (x_j - y_j)² / l_j²; it enters through s_m² m and s_p² m c.
      double f = weight * (maternVariance + productVariance * c) * maternFactor(r);
      for (int i = 0; i < continuous.length; i++) {
        double diff = x[continuous[i]] - y[continuous[i]];
        gradient[group[continuous[i]]] +=
            f * diff * diff / (continuousLengthscale[i] * continuousLengthscale[i]);
      }
      gradient[last - 3] += weight * maternVariance * m;
      gradient[last - 2] += weight * categoricalVariance * c;
      gradient[last - 1] += weight * productVariance * m * c;
      categoricalOuter = categoricalVariance + productVariance * m;
    }
    // ∂c/∂log l_p = c [x_p ≠ y_p] / (C l_p).
    for (int p = 0; p < categories.length; p++) {
      if (differ(x, y, categories[p])) {
        gradient[group[categories[p][0]]] +=
            weight * categoricalOuter * c / (categories.length * categoryLengthscale[p]);
      }
    }
  }

  @Override
  public void addInputGradient(double[] x, double[] y, double weight, double[] gradient) {
    if (continuous.length == 0) return;
    double r = maternDistance(x, y);
    double f = weight * (maternVariance + productVariance * categorical(x, y)) * maternFactor(r);
    for (int i = 0; i < continuous.length; i++) {
      int j = continuous[i];
      gradient[j] -= f * (x[j] - y[j]) / (continuousLengthscale[i] * continuousLengthscale[i]);
    }
  }

  @Override
  public String toString() {
    return "Matérn-5/2 × categorical(l="
        + Arrays.toString(continuousLengthscale)
        + ", "
        + Arrays.toString(categoryLengthscale)
        + ", s²="
        + maternVariance
        + "/"
        + categoricalVariance
        + "/"
        + productVariance
        + ")";
  }
}
