package io.labloop.orchestrator.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A lab or campaign file that cannot be used, with every problem found in it (not only the first).
 * Unchecked so that callers that already handle bad input generally (the CLI, the HTTP API) need
 * not wrap it; they print {@link #problems()} one per line.
 */
public final class ConfigException extends RuntimeException {

  private final List<ConfigProblem> problems;

  public ConfigException(List<ConfigProblem> problems) {
    super(problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n")));
    if (problems.isEmpty())
      throw new IllegalArgumentException("a ConfigException needs at least one problem");
    this.problems = List.copyOf(problems);
  }

  /** Every problem, in file order. */
  public List<ConfigProblem> problems() {
    return problems;
  }
}
