package io.labloop.planners.expression;

import com.ezylang.evalex.EvaluationException;
import com.ezylang.evalex.Expression;
import com.ezylang.evalex.data.EvaluationValue;
import com.ezylang.evalex.functions.AbstractFunction;
import com.ezylang.evalex.functions.FunctionIfc;
import com.ezylang.evalex.functions.FunctionParameter;
import com.ezylang.evalex.parser.Token;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * The functions an expression may call, each computed in double precision in constant time. A
 * result that is not a finite number (the logarithm of a negative number, an overflow) is an
 * evaluation error rather than a silent NaN, so that a constraint that cannot be computed at a
 * point is not satisfied there.
 */
final class DoubleFunctions {

  /** Largest n whose factorial is a finite double. */
  static final int MAX_FACTORIAL = 170;

  /** Most decimals {@code round} keeps: all a double has. */
  static final int MAX_DECIMALS = 15;

  private DoubleFunctions() {}

  /** Name (upper case; lookups ignore case) to function. */
  static Map<String, FunctionIfc> all() {
    Map<String, FunctionIfc> f = new LinkedHashMap<>();
    f.put("ABS", new Unary("abs", Math::abs));
    f.put("SQRT", new Unary("sqrt", Math::sqrt));
    f.put("CBRT", new Unary("cbrt", Math::cbrt));
    f.put("EXP", new Unary("exp", Math::exp));
    f.put("LN", new Unary("ln", Math::log));
    f.put("LOG", new Unary("log", Math::log));
    f.put("LOG10", new Unary("log10", Math::log10));
    f.put("LOG2", new Unary("log2", x -> Math.log(x) / Math.log(2)));
    f.put("SIN", new Unary("sin", Math::sin));
    f.put("COS", new Unary("cos", Math::cos));
    f.put("TAN", new Unary("tan", Math::tan));
    f.put("ASIN", new Unary("asin", Math::asin));
    f.put("ACOS", new Unary("acos", Math::acos));
    f.put("ATAN", new Unary("atan", Math::atan));
    f.put("SINH", new Unary("sinh", Math::sinh));
    f.put("COSH", new Unary("cosh", Math::cosh));
    f.put("TANH", new Unary("tanh", Math::tanh));
    f.put("DEG", new Unary("deg", Math::toDegrees));
    f.put("RAD", new Unary("rad", Math::toRadians));
    f.put("FLOOR", new Unary("floor", Math::floor));
    f.put("CEIL", new Unary("ceil", Math::ceil));
    f.put("CEILING", new Unary("ceiling", Math::ceil));
    f.put("SIGN", new Unary("sign", Math::signum));
    f.put("FACT", new Unary("fact", DoubleFunctions::factorial));
    f.put("POW", new Binary("pow", Math::pow));
    f.put("ATAN2", new Binary("atan2", Math::atan2));
    f.put("HYPOT", new Binary("hypot", Math::hypot));
    f.put("ROUND", new Binary("round", DoubleFunctions::round));
    f.put("MIN", new Many("min", Math::min));
    f.put("MAX", new Many("max", Math::max));
    f.put("SUM", new Many("sum", Double::sum));
    return f;
  }

  private static double factorial(double n) {
    if (n != Math.rint(n) || n < 0 || n > MAX_FACTORIAL) {
      throw new IllegalArgumentException(
          "fact takes a whole number from 0 to " + MAX_FACTORIAL + ", not " + n);
    }
    double out = 1;
    for (int i = 2; i <= n; i++) out *= i;
    return out;
  }

  private static double round(double x, double decimals) {
    if (decimals != Math.rint(decimals) || decimals < 0 || decimals > MAX_DECIMALS) {
      throw new IllegalArgumentException(
          "round keeps 0 to " + MAX_DECIMALS + " decimals, not " + decimals);
    }
    if (!Double.isFinite(x)) return x;
    return new java.math.BigDecimal(x)
        .setScale((int) decimals, java.math.RoundingMode.HALF_UP)
        .doubleValue();
  }

  static double number(Token token, String function, EvaluationValue v) throws EvaluationException {
    if (!v.isNumberValue()) {
      throw new EvaluationException(token, function + " takes numbers, not '" + v.getValue() + "'");
    }
    return v.getNumberValue().doubleValue();
  }

  static EvaluationValue result(Expression e, Token token, String function, double value)
      throws EvaluationException {
    if (!Double.isFinite(value)) {
      throw new EvaluationException(
          token, function + " gives " + value + " here (expected a finite number)");
    }
    return e.convertDoubleValue(value);
  }

  @FunctionParameter(name = "value")
  static final class Unary extends AbstractFunction {
    private final String name;
    private final DoubleUnaryOperator f;

    Unary(String name, DoubleUnaryOperator f) {
      this.name = name;
      this.f = f;
    }

    @Override
    public EvaluationValue evaluate(Expression e, Token token, EvaluationValue... args)
        throws EvaluationException {
      try {
        return result(e, token, name, f.applyAsDouble(number(token, name, args[0])));
      } catch (IllegalArgumentException ex) {
        throw new EvaluationException(token, ex.getMessage());
      }
    }
  }

  @FunctionParameter(name = "first")
  @FunctionParameter(name = "second")
  static final class Binary extends AbstractFunction {
    private final String name;
    private final DoubleBinaryOperator f;

    Binary(String name, DoubleBinaryOperator f) {
      this.name = name;
      this.f = f;
    }

    @Override
    public EvaluationValue evaluate(Expression e, Token token, EvaluationValue... args)
        throws EvaluationException {
      try {
        return result(
            e,
            token,
            name,
            f.applyAsDouble(number(token, name, args[0]), number(token, name, args[1])));
      } catch (IllegalArgumentException ex) {
        throw new EvaluationException(token, ex.getMessage());
      }
    }
  }

  @FunctionParameter(name = "values", isVarArg = true)
  static final class Many extends AbstractFunction {
    private final String name;
    private final DoubleBinaryOperator f;

    Many(String name, DoubleBinaryOperator f) {
      this.name = name;
      this.f = f;
    }

    @Override
    public EvaluationValue evaluate(Expression e, Token token, EvaluationValue... args)
        throws EvaluationException {
      double out = number(token, name, args[0]);
      for (int i = 1; i < args.length; i++)
        out = f.applyAsDouble(out, number(token, name, args[i]));
      return result(e, token, name, out);
    }
  }
}
