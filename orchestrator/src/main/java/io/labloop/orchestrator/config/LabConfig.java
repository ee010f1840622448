package io.labloop.orchestrator.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed, checked {@code lab.yaml}.
 *
 * @param file where it was read from
 * @param name the {@code lab:} name
 * @param instruments by name, in file order
 * @param simulation the {@code simulation:} block as plain values, for the virtual lab; empty on a
 *     lab without one
 * @param tree the whole file as plain values (env filled in), for the virtual lab, which reads the
 *     instruments' endpoints, ports and topics from it as a third-party device would
 */
public record LabConfig(
    Path file,
    String name,
    Map<String, InstrumentConfig> instruments,
    Optional<Map<String, Object>> simulation,
    Map<String, Object> tree) {

  public LabConfig {
    instruments = Collections.unmodifiableMap(new LinkedHashMap<>(instruments));
  }

  public InstrumentConfig instrument(String name) {
    InstrumentConfig i = instruments.get(name);
    if (i == null)
      throw new IllegalArgumentException("lab " + this.name + " has no instrument '" + name + "'");
    return i;
  }
}
