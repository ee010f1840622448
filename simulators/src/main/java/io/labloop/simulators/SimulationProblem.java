package io.labloop.simulators;

import java.util.List;

/**
 * One problem in the {@code simulation:} block of a lab file.
 *
 * @param path keys from the root of the lab file to the offending value, e.g.
 *     {@code [simulation, instruments, spectrometer, noise, peak]}; list items appear as their index
 * @param message what is wrong and what was expected
 */
public record SimulationProblem(List<Object> path, String message) {
  public SimulationProblem {
    path = List.copyOf(path);
  }

  @Override
  public String toString() {
    return String.join(".", path.stream().map(String::valueOf).toList()) + ": " + message;
  }
}
