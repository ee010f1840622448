package io.labloop.orchestrator.fuzz;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.labloop.orchestrator.config.ConfigLoader;
import io.labloop.orchestrator.config.ConfigProblem;
import io.labloop.planners.Constraint;
import io.labloop.planners.Point;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/** The one invariant every target is held to, and the way each target is called. */
final class Invariant {

  /** Longest one input may take: far above a real file, far below a hang. */
  static final Duration LIMIT = Duration.ofSeconds(5);

  static final Set<String> NAMES = Set.of("x", "y", "solvent");

  private Invariant() {}

  /** Runs {@code target} with the time bound; any exception (or error) breaks the invariant. */
  static <T> T bounded(Supplier<T> target) {
    return assertTimeoutPreemptively(
        LIMIT, target::get, "an input must be answered within " + LIMIT);
  }

  /**
   * A YAML text through the loader's public entry point: problems, each with a position, or none.
   */
  static List<ConfigProblem> validateYaml(String name, String text, Path dir) {
    List<ConfigProblem> problems =
        bounded(
            () -> ConfigLoader.builder().environment(Map.of()).build().validate(name, text, dir));
    for (ConfigProblem p : problems) {
      assertTrue(p.line() >= 1 && p.column() >= 1, "a problem has a position: " + p);
      assertTrue(!p.message().isBlank(), "a problem says what is wrong: " + p);
    }
    return problems;
  }

  /**
   * An expression as a constraint: it parses or is refused with IllegalArgumentException (the
   * positioned problem the loader reports at the constraint), and a parsed one tests points without
   * throwing.
   */
  static void expression(String text) {
    bounded(
        () -> {
          Constraint c;
          try {
            c = Constraint.parse(text, NAMES);
          } catch (IllegalArgumentException refused) {
            assertTrue(
                refused.getMessage() != null && !refused.getMessage().isBlank(),
                "a refusal says why");
            return null;
          }
          for (Point p :
              List.of(
                  new Point(Map.of("x", 0.0, "y", -1.0, "solvent", "water")),
                  new Point(Map.of("x", 1e300, "y", 1e-300, "solvent", "")),
                  new Point(Map.of("x", -7.5, "y", 170.0, "solvent", "=1+1")))) {
            c.test(p);
          }
          return null;
        });
  }
}
