package io.labloop.planners.design;

import java.util.SplittableRandom;

/**
 * A Sobol' low-discrepancy sequence in up to {@value #MAX_DIMENSION} dimensions, randomised by a
 * seeded digital shift (every coordinate's bits are XOR-ed with a random word), which keeps the
 * sequence's stratification while making different seeds give different designs.
 *
 * <p>Point {@code i} is computed directly from the Gray code of {@code i} (no state), so a planner
 * can continue a design at any index after a restart. Direction numbers are from the primitive
 * polynomials of Joe and Kuo's table (the first dimension is van der Corput's sequence). Beyond
 * {@value #MAX_DIMENSION} dimensions the remaining coordinates are seeded uniform draws.
 */
public final class Sobol {

  public static final int MAX_DIMENSION = 21;
  private static final int BITS = 31;

  // Per dimension 2..21: degree s, polynomial coefficients a, initial m_1..m_s (Joe & Kuo).
  private static final int[][] POLYNOMIALS = {
    {1, 0, 1},
    {2, 1, 1, 3},
    {3, 1, 1, 3, 1},
    {3, 2, 1, 1, 1},
    {4, 1, 1, 1, 3, 3},
    {4, 4, 1, 3, 5, 13},
    {5, 2, 1, 1, 5, 5, 17},
    {5, 4, 1, 1, 5, 5, 5},
    {5, 7, 1, 1, 7, 11, 19},
    {5, 11, 1, 1, 5, 1, 1},
    {5, 13, 1, 1, 1, 3, 11},
    {5, 14, 1, 3, 5, 5, 31},
    {6, 1, 1, 3, 3, 9, 7, 49},
    {6, 13, 1, 1, 1, 15, 21, 21},
    {6, 16, 1, 3, 1, 13, 27, 49},
    {6, 19, 1, 1, 1, 15, 7, 5},
    {6, 22, 1, 3, 1, 15, 13, 25},
    {6, 25, 1, 1, 5, 5, 19, 61},
    {7, 1, 1, 3, 7, 11, 23, 15, 103},
    {7, 4, 1, 3, 7, 13, 13, 15, 69},
  };

  private final int dimension;
  private final int[][] direction;
  private final int[] shift;
  private final long seed;

  public Sobol(int dimension, long seed) {
    if (dimension < 1) throw new IllegalArgumentException("dimension must be >= 1");
    this.dimension = dimension;
    this.seed = seed;
    int sobolDims = Math.min(dimension, MAX_DIMENSION);
    this.direction = new int[sobolDims][BITS];
    for (int k = 0; k < BITS; k++) direction[0][k] = 1 << (BITS - 1 - k);
    for (int j = 1; j < sobolDims; j++) {
      int[] poly = POLYNOMIALS[j - 1];
      int s = poly[0];
      int a = poly[1];
      long[] m = new long[BITS];
      for (int k = 0; k < s && k < BITS; k++) m[k] = poly[2 + k];
      for (int k = s; k < BITS; k++) {
        long value = m[k - s] ^ (m[k - s] << s);
        for (int i = 1; i < s; i++) {
          if (((a >> (s - 1 - i)) & 1) == 1) value ^= m[k - i] << i;
        }
        m[k] = value;
      }
      for (int k = 0; k < BITS; k++) direction[j][k] = (int) (m[k] << (BITS - 1 - k));
    }
    SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
    this.shift = new int[sobolDims];
    for (int j = 0; j < sobolDims; j++) shift[j] = random.nextInt() & ((1 << BITS) - 1);
  }

  public int dimension() {
    return dimension;
  }

  /** The point at position {@code index} (0-based) of this randomised sequence. */
  public double[] point(long index) {
    if (index < 0 || index >= (1L << BITS))
      throw new IllegalArgumentException("index out of range: " + index);
    long gray = index ^ (index >> 1);
    double[] u = new double[dimension];
    for (int j = 0; j < direction.length; j++) {
      int x = shift[j];
      for (int k = 0; k < BITS; k++) if (((gray >> k) & 1) == 1) x ^= direction[j][k];
      // Centre within the cell of width 2^-31 so no coordinate is exactly 0.
      u[j] = (x + 0.5) / (1L << BITS);
    }
    if (dimension > direction.length) {
      SplittableRandom extra = new SplittableRandom(seed * 31 + index);
      for (int j = direction.length; j < dimension; j++) u[j] = extra.nextDouble();
    }
    return u;
  }

  /** {@code count} consecutive points starting at {@code start}. */
  public double[][] points(long start, int count) {
    double[][] out = new double[count][];
    for (int i = 0; i < count; i++) out[i] = point(start + i);
    return out;
  }
}
