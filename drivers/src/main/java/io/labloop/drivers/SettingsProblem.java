package io.labloop.drivers;

import java.util.List;

/**
 * A problem in an instrument's section, found before anything is connected.
 *
 * @param path keys from the section's root to the offending value, e.g.
 *     {@code [commands, measure, expect]}; list items appear as their index
 * @param message what is wrong and what was expected
 */
public record SettingsProblem(List<Object> path, String message) {
  public SettingsProblem {
    path = List.copyOf(path);
  }
}
