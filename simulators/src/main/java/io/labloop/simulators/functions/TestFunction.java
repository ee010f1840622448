package io.labloop.simulators.functions;

/**
 * A benchmark function to be minimised over a box.
 *
 * <p>Inputs are named {@code x1..xd} wherever a name is needed.
 */
public interface TestFunction {

  /** Lower-case name, as used on the command line ({@code branin}, {@code hartmann6}). */
  String name();

  int dimension();

  /** Lower bound of input {@code i} (0-based). */
  double lower(int i);

  /** Upper bound of input {@code i} (0-based). */
  double upper(int i);

  /** The global minimum value over the box. */
  double minimum();

  /** The function value at {@code x}; {@code x.length} must equal {@link #dimension()}. */
  double evaluate(double[] x);
}
