package io.labloop.settings;

import java.util.List;

/**
 * A problem in a section of a settings file (an instrument's section, found before anything is
 * connected; the virtual lab's {@code simulation:} block), at a path of keys.
 *
 * @param path keys from the section's root to the offending value, e.g. {@code [commands, measure,
 *     expect]}; list items appear as their index
 * @param message what is wrong and what was expected
 */
public record SettingsProblem(List<Object> path, String message) {
  public SettingsProblem {
    path = List.copyOf(path);
  }

  /** {@code commands.measure.expect: message}. */
  @Override
  public String toString() {
    return String.join(".", path.stream().map(String::valueOf).toList()) + ": " + message;
  }
}
