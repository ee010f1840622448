package io.labloop.simulators.world;

import com.ezylang.evalex.EvaluationException;
import com.ezylang.evalex.Expression;
import com.ezylang.evalex.config.ExpressionConfiguration;
import com.ezylang.evalex.data.EvaluationValue;
import com.ezylang.evalex.functions.AbstractFunction;
import com.ezylang.evalex.functions.FunctionParameter;
import com.ezylang.evalex.functions.trigonometric.CosRFunction;
import com.ezylang.evalex.functions.trigonometric.SinRFunction;
import com.ezylang.evalex.parser.ParseException;
import com.ezylang.evalex.parser.Token;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A world given as one expression per output over the input names, so that any test function can be
 * a world. Evaluated with EvalEx (never a script engine). On top of EvalEx's functions, {@code exp}
 * and {@code pow} exist, and {@code sin}/{@code cos} take radians as a mathematician expects
 * (EvalEx's own take degrees). The inputs are every variable the expressions use, sorted by name.
 */
final class ExpressionWorld implements WorldModel {

  private static final ExpressionConfiguration CONFIG =
      ExpressionConfiguration.defaultConfiguration()
          .withAdditionalFunctions(
              Map.entry("EXP", new ExpFunction()),
              Map.entry("POW", new PowFunction()),
              Map.entry("SIN", new SinRFunction()),
              Map.entry("COS", new CosRFunction()));

  private final Map<String, String> expressions;
  private final List<String> inputs;

  ExpressionWorld(Map<String, String> expressions) {
    this.expressions = new LinkedHashMap<>(expressions);
    Set<String> used = new TreeSet<>();
    for (Map.Entry<String, String> e : expressions.entrySet()) {
      used.addAll(variables(e.getValue()));
    }
    this.inputs = List.copyOf(used);
  }

  /**
   * The variables an expression uses.
   *
   * @throws IllegalArgumentException with EvalEx's reason when it does not parse
   */
  static Set<String> variables(String expression) {
    try {
      Set<String> names = new LinkedHashSet<>();
      for (String v : new Expression(expression, CONFIG).getUsedVariables()) {
        names.add(v);
      }
      return names;
    } catch (ParseException e) {
      throw new IllegalArgumentException("'" + expression + "' does not parse: " + e.getMessage());
    }
  }

  @Override
  public List<String> inputs() {
    return inputs;
  }

  @Override
  public Map<String, List<String>> categories() {
    return Map.of();
  }

  @Override
  public List<String> outputs() {
    return new ArrayList<>(expressions.keySet());
  }

  @Override
  public Map<String, Double> evaluate(Map<String, Object> conditions) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : expressions.entrySet()) {
      Expression expression = new Expression(e.getValue(), CONFIG);
      try {
        for (String name : expression.getUsedVariables()) {
          expression.with(name, WorldModel.number(conditions, name));
        }
        double value = expression.evaluate().getNumberValue().doubleValue();
        out.put(e.getKey(), value);
      } catch (ParseException | EvaluationException | ArithmeticException ex) {
        throw new IllegalArgumentException(
            "cannot evaluate " + e.getKey() + " = " + e.getValue() + ": " + ex.getMessage());
      }
    }
    return out;
  }

  @FunctionParameter(name = "value")
  static final class ExpFunction extends AbstractFunction {
    @Override
    public EvaluationValue evaluate(Expression expression, Token token, EvaluationValue... args) {
      return expression.convertDoubleValue(Math.exp(args[0].getNumberValue().doubleValue()));
    }
  }

  @FunctionParameter(name = "base")
  @FunctionParameter(name = "exponent")
  static final class PowFunction extends AbstractFunction {
    @Override
    public EvaluationValue evaluate(Expression expression, Token token, EvaluationValue... args) {
      return expression.convertDoubleValue(
          Math.pow(args[0].getNumberValue().doubleValue(), args[1].getNumberValue().doubleValue()));
    }
  }
}
