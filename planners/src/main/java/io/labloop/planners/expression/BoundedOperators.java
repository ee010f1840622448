package io.labloop.planners.expression;

import com.ezylang.evalex.EvaluationException;
import com.ezylang.evalex.Expression;
import com.ezylang.evalex.data.EvaluationValue;
import com.ezylang.evalex.operators.InfixOperator;
import com.ezylang.evalex.operators.OperatorIfc;
import com.ezylang.evalex.operators.arithmetic.InfixModuloOperator;
import com.ezylang.evalex.operators.arithmetic.InfixPowerOfOperator;
import com.ezylang.evalex.parser.Token;

/**
 * {@code ^} and {@code %} in double precision. EvalEx computes them on exact decimals, where {@code
 * 2 ^ 999999999} or {@code 1e999999999 % 7} take time and memory that grow with the numbers; in
 * doubles each is one constant-time step, and a result that is not finite is an error. Precedence
 * and associativity stay EvalEx's.
 */
final class BoundedOperators {

  private BoundedOperators() {}

  @InfixOperator(precedence = OperatorIfc.OPERATOR_PRECEDENCE_POWER, leftAssociative = false)
  static final class Power extends InfixPowerOfOperator {
    @Override
    public EvaluationValue evaluate(Expression e, Token token, EvaluationValue... operands)
        throws EvaluationException {
      double value =
          Math.pow(
              DoubleFunctions.number(token, "^", operands[0]),
              DoubleFunctions.number(token, "^", operands[1]));
      return DoubleFunctions.result(e, token, "^", value);
    }
  }

  @InfixOperator(precedence = OperatorIfc.OPERATOR_PRECEDENCE_MULTIPLICATIVE)
  static final class Remainder extends InfixModuloOperator {
    @Override
    public EvaluationValue evaluate(Expression e, Token token, EvaluationValue... operands)
        throws EvaluationException {
      double divisor = DoubleFunctions.number(token, "%", operands[1]);
      if (divisor == 0) throw new EvaluationException(token, "remainder of a division by zero");
      return DoubleFunctions.result(
          e, token, "%", DoubleFunctions.number(token, "%", operands[0]) % divisor);
    }
  }
}
