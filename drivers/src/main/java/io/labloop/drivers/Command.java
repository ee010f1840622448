package io.labloop.drivers;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A named command with its arguments, e.g. {@code synthesize(temperature=120.0, solvent=water)}.
 * Argument values are Double, Long, String or Boolean.
 */
public record Command(String name, Map<String, Object> arguments) {
  public Command {
    Objects.requireNonNull(name, "name");
    arguments = Collections.unmodifiableMap(new LinkedHashMap<>(arguments));
  }

  public static Command of(String name) {
    return new Command(name, Map.of());
  }
}
