package io.labloop.drivers;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A named command with its arguments, e.g. {@code synthesize(temperature=120.0, solvent=water)}.
 * Argument values are Double, Long, String or Boolean.
 *
 * @param journal the step's journal key and attempt when a campaign step sends it (empty for a
 *     health probe, an abort, a benchmark); local drivers ignore it, a remote instrument carries it
 *     to the agent so that the agent can answer a repeated key from its own journal
 */
public record Command(String name, Map<String, Object> arguments, Optional<Journal> journal) {
  public Command {
    Objects.requireNonNull(name, "name");
    arguments = Collections.unmodifiableMap(new LinkedHashMap<>(arguments));
    Objects.requireNonNull(journal, "journal");
  }

  /** A command sent outside a campaign step. */
  public Command(String name, Map<String, Object> arguments) {
    this(name, arguments, Optional.empty());
  }

  public static Command of(String name) {
    return new Command(name, Map.of());
  }

  /**
   * Which step of which run sent the command: {@code key} is the same for every attempt of the step
   * ({@code run:seq:step}), {@code attempt} counts from 1.
   */
  public record Journal(String key, int attempt) {
    public Journal {
      Objects.requireNonNull(key, "key");
    }
  }
}
