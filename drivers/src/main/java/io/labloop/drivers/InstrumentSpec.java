package io.labloop.drivers;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An instrument's section of {@code lab.yaml}, environment variables already filled in, as plain
 * values (String, Number, Boolean, List, Map). Each driver reads its own keys from it.
 *
 * @param name the instrument's name in the lab file
 * @param driver the {@code driver:} key ({@code opcua}, {@code serial}, {@code mqtt}, or a
 *     plug-in's)
 * @param section the whole section, {@code driver} and {@code commands} included
 * @param dataDir where a driver may keep files (certificates, trust lists)
 */
public record InstrumentSpec(
    String name, String driver, Map<String, Object> section, Path dataDir) {
  public InstrumentSpec {
    section = Collections.unmodifiableMap(new LinkedHashMap<>(section));
  }
}
