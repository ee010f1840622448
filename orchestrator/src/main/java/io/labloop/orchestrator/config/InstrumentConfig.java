package io.labloop.orchestrator.config;

import io.labloop.drivers.InstrumentSpec;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One instrument of a lab: what the orchestrator needs of it (commands, limits, capacity, abort,
 * health) and the driver's own section ({@link #spec()}) that the driver reads.
 *
 * @param name the instrument's name
 * @param driver {@code opcua}, {@code serial}, {@code mqtt} or a plug-in's type
 * @param spec the section as the driver sees it
 * @param commands by name
 * @param limits by argument name; checked before every command that carries the argument
 * @param capacity how many commands it runs at once (default 1)
 * @param abortCommand the command sent on abort or emergency stop, if configured
 * @param healthCommand the command the daemon's health check sends (no arguments) when the
 *     instrument is idle, if configured ({@code health: identify}); an instrument without one is
 *     judged by its driver's connection status
 */
public record InstrumentConfig(
    String name,
    String driver,
    InstrumentSpec spec,
    Map<String, CommandConfig> commands,
    Map<String, Limit> limits,
    int capacity,
    Optional<String> abortCommand,
    Optional<String> healthCommand) {

  public InstrumentConfig {
    commands = Collections.unmodifiableMap(new LinkedHashMap<>(commands));
    limits = Collections.unmodifiableMap(new LinkedHashMap<>(limits));
  }

  /** An instrument without a health command. */
  public InstrumentConfig(
      String name,
      String driver,
      InstrumentSpec spec,
      Map<String, CommandConfig> commands,
      Map<String, Limit> limits,
      int capacity,
      Optional<String> abortCommand) {
    this(name, driver, spec, commands, limits, capacity, abortCommand, Optional.empty());
  }
}
