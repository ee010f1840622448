package io.labloop.drivers;

import io.labloop.settings.SettingsProblem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The drivers a lab can use, by {@code driver:} name, and the one {@link Bridges} their instruments
 * share. The orchestrator makes one per lab: {@code Drivers.standard()} finds the built-in opcua,
 * serial and mqtt factories and any plug-in on the class path.
 *
 * <pre>{@code
 * try (Drivers drivers = Drivers.standard()) {
 *   List<SettingsProblem> problems = drivers.check(spec);
 *   Instrument robot = drivers.create(spec);
 *   robot.connect().join();
 * }
 * }</pre>
 */
public final class Drivers implements AutoCloseable {

  private final Map<String, DriverFactory> factories;
  private final Bridges bridges = new Bridges();

  private Drivers(Map<String, DriverFactory> factories) {
    this.factories = factories;
  }

  /** The factories registered in {@code META-INF/services/io.labloop.drivers.DriverFactory}. */
  public static Drivers standard() {
    List<DriverFactory> found = new ArrayList<>();
    ServiceLoader.load(DriverFactory.class, Drivers.class.getClassLoader()).forEach(found::add);
    return of(found);
  }

  /** Exactly these factories (tests, or an application that assembles its own). */
  public static Drivers of(List<DriverFactory> factories) {
    Map<String, DriverFactory> byType = new LinkedHashMap<>();
    for (DriverFactory f : factories) {
      DriverFactory previous = byType.putIfAbsent(f.type(), f);
      if (previous != null && previous.getClass() != f.getClass()) {
        throw new IllegalStateException(
            "two drivers claim 'driver: "
                + f.type()
                + "': "
                + previous.getClass().getName()
                + " and "
                + f.getClass().getName());
      }
    }
    return new Drivers(byType);
  }

  /** The {@code driver:} values this lab can use. */
  public Set<String> types() {
    return factories.keySet();
  }

  /**
   * Every problem in an instrument's section; an unknown driver is one problem at {@code [driver]}.
   */
  public List<SettingsProblem> check(InstrumentSpec spec) {
    DriverFactory f = factories.get(spec.driver());
    if (f == null) {
      return List.of(
          new SettingsProblem(
              List.of("driver"),
              "unknown driver '" + spec.driver() + "'; expected one of " + factories.keySet()));
    }
    return f.check(spec);
  }

  /**
   * Builds an instrument (not yet connected).
   *
   * @throws IllegalArgumentException listing the section's problems if {@link #check} finds any
   */
  public Instrument create(InstrumentSpec spec) {
    List<SettingsProblem> problems = check(spec);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "instrument '"
              + spec.name()
              + "': "
              + problems.stream()
                  .map(
                      p ->
                          String.join(".", p.path().stream().map(String::valueOf).toList())
                              + ": "
                              + p.message())
                  .collect(Collectors.joining("; ")));
    }
    return factories.get(spec.driver()).create(spec, bridges);
  }

  /** Closes every shared connection still open (instruments should be closed first). */
  @Override
  public void close() {
    bridges.close();
  }
}
