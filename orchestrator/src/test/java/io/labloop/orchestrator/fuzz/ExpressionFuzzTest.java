package io.labloop.orchestrator.fuzz;

import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The expression checker (constraints) on token soup and on well-formed expressions with hostile
 * numbers.
 */
class ExpressionFuzzTest {

  private static final List<String> TOKENS =
      List.of(
          "x",
          "y",
          "solvent",
          "X",
          "pi",
          "e",
          "true",
          "null",
          "0",
          "1",
          "-1",
          "2.5",
          "1e308",
          "1e999999999",
          "-1e-999999999",
          "170",
          "171",
          "999999999",
          "\"water\"",
          "\"\"",
          "+",
          "-",
          "*",
          "/",
          "%",
          "^",
          "==",
          "!=",
          "<=",
          ">=",
          "<",
          ">",
          "&&",
          "||",
          "!",
          "(",
          ")",
          ",",
          "[",
          "]",
          ".",
          "=",
          "exp",
          "ln",
          "log",
          "log10",
          "sqrt",
          "abs",
          "min",
          "max",
          "pow",
          "sin",
          "cos",
          "tan",
          "atan2",
          "fact",
          "round",
          "floor",
          "ceil",
          "sum",
          "if",
          "not",
          "hypot",
          "STR_MATCHES",
          "DT_NOW",
          "RANDOM",
          "SWITCH",
          "foo");
  private static final List<String> FUNCTIONS =
      List.of(
          "exp", "ln", "log10", "sqrt", "abs", "sin", "cos", "tan", "fact", "floor", "ceil", "sinh",
          "tanh", "asin", "acos", "atan");
  private static final List<String> NUMBERS =
      List.of(
          "x",
          "y",
          "0",
          "-0",
          "1",
          "2",
          "170",
          "171",
          "1e308",
          "1e999999999",
          "-1e999999999",
          "1e-999999999",
          "999999999",
          "0.1");

  @Property(tries = 1500)
  void tokenSoupIsParsedOrRefusedNeverThrownOrHung(@ForAll("soup") String text) {
    Invariant.expression(text);
  }

  @Property(tries = 1500)
  void wellFormedExpressionsWithHostileNumbersEvaluateOrAreRefused(@ForAll("formed") String text) {
    Invariant.expression(text);
  }

  @Property(tries = 30)
  void hugeAndDeepExpressionsAreRefusedBySize(@ForAll("huge") String text) {
    Invariant.expression(text);
  }

  @Provide
  Arbitrary<String> soup() {
    return Arbitraries.of(TOKENS).list().ofMaxSize(40).map(l -> String.join(" ", l));
  }

  @Provide
  Arbitrary<String> formed() {
    return Arbitraries.randomValue(
        r ->
            expression(r, 0)
                + " "
                + List.of("<=", ">=", "==", "!=", "<", ">").get(r.nextInt(6))
                + " "
                + expression(r, 0));
  }

  @Provide
  Arbitrary<String> huge() {
    return Arbitraries.randomValue(
        r ->
            switch (r.nextInt(3)) {
              case 0 -> "x" + " + x".repeat(1 + r.nextInt(60_000)) + " <= 1";
              case 1 ->
                  "(".repeat(1 + r.nextInt(20_000)) + "x" + ")".repeat(r.nextInt(20_000)) + " <= 1";
              default -> "fact(".repeat(1 + r.nextInt(200)) + "3" + ")".repeat(200) + " > 0";
            });
  }

  private static String expression(Random r, int depth) {
    if (depth > 6 || r.nextInt(3) == 0) return NUMBERS.get(r.nextInt(NUMBERS.size()));
    return switch (r.nextInt(4)) {
      case 0 -> FUNCTIONS.get(r.nextInt(FUNCTIONS.size())) + "(" + expression(r, depth + 1) + ")";
      case 1 ->
          List.of("pow", "min", "max", "atan2", "round", "hypot").get(r.nextInt(6))
              + "("
              + expression(r, depth + 1)
              + ", "
              + expression(r, depth + 1)
              + ")";
      case 2 -> "(" + expression(r, depth + 1) + ")";
      default ->
          expression(r, depth + 1)
              + " "
              + List.of("+", "-", "*", "/", "%", "^").get(r.nextInt(6))
              + " "
              + expression(r, depth + 1);
    };
  }
}
