package io.labloop.orchestrator.lab;

import io.labloop.drivers.InstrumentSpec;
import io.labloop.orchestrator.config.InstrumentConfig;
import io.labloop.orchestrator.config.LabConfig;
import io.labloop.simulators.VirtualLab;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts a lab's virtual instruments in the same process ({@code labloop run --sim}, {@code labloop
 * demo}) and gives back the lab as it really runs: the virtual lab may pick free ports where the
 * file says 0, so the drivers must be built from its tree, not the file's.
 */
public final class VirtualLabs {

  private VirtualLabs() {}

  /** A running virtual lab and the lab configuration that reaches it. */
  public record Running(VirtualLab virtualLab, LabConfig config) implements AutoCloseable {
    @Override
    public void close() {
      virtualLab.close();
    }
  }

  /**
   * Starts the instruments of {@code config}'s {@code simulation:} block.
   *
   * @param workDir where the virtual lab keeps certificates, samples and the journal of what each
   *     instrument received (kept across runs, so a resumed campaign finds its samples)
   * @param simulationOverrides keys replaced in the {@code simulation:} block (e.g. {@code
   *     time-scale})
   * @param privateEndpoints true to move every instrument to a free port / a pty under {@code
   *     workDir}, so that nothing else on the machine is disturbed (the demo)
   */
  public static Running start(
      LabConfig config,
      Path workDir,
      Map<String, Object> simulationOverrides,
      boolean privateEndpoints) {
    if (config.simulation().isEmpty()) {
      throw new LabUnavailable(
          "lab "
              + config.name()
              + " ("
              + config.file()
              + ") has no simulation: block, so --sim cannot play it",
          null);
    }
    Map<String, Object> tree = deepCopy(config.tree());
    @SuppressWarnings("unchecked")
    Map<String, Object> simulation = (Map<String, Object>) tree.get("simulation");
    simulation.putAll(simulationOverrides);
    if (privateEndpoints) privatise(tree, workDir);
    Path baseDir = config.file().toAbsolutePath().getParent();
    VirtualLab lab = VirtualLab.start(tree, baseDir, workDir);
    try {
      return new Running(lab, reachedThrough(config, lab.labTree()));
    } catch (RuntimeException e) {
      lab.close();
      throw e;
    }
  }

  /** The same lab with each instrument's driver section taken from {@code tree}. */
  @SuppressWarnings("unchecked")
  static LabConfig reachedThrough(LabConfig config, Map<String, Object> tree) {
    Map<String, Object> sections = (Map<String, Object>) tree.get("instruments");
    Map<String, InstrumentConfig> instruments = new LinkedHashMap<>();
    for (InstrumentConfig i : config.instruments().values()) {
      Map<String, Object> section =
          sections.get(i.name()) instanceof Map<?, ?> m
              ? (Map<String, Object>) m
              : i.spec().section();
      InstrumentSpec spec = new InstrumentSpec(i.name(), i.driver(), section, i.spec().dataDir());
      instruments.put(
          i.name(),
          new InstrumentConfig(
              i.name(),
              i.driver(),
              spec,
              i.commands(),
              i.limits(),
              i.capacity(),
              i.abortCommand(),
              i.healthCommand()));
    }
    return new LabConfig(config.file(), config.name(), instruments, config.simulation(), tree);
  }

  @SuppressWarnings("unchecked")
  private static void privatise(Map<String, Object> tree, Path workDir) {
    Map<String, Object> sections = (Map<String, Object>) tree.get("instruments");
    for (Map.Entry<String, Object> e : sections.entrySet()) {
      if (!(e.getValue() instanceof Map<?, ?>)) continue;
      Map<String, Object> s = (Map<String, Object>) e.getValue();
      switch (String.valueOf(s.get("driver"))) {
        case "opcua", "lads" -> s.put("endpoint", withPortZero(String.valueOf(s.get("endpoint"))));
        case "mqtt" -> s.put("broker", withPortZero(String.valueOf(s.get("broker"))));
        case "serial" ->
            s.put("port", workDir.resolve(e.getKey() + ".tty").toAbsolutePath().toString());
        default -> {}
      }
    }
  }

  private static String withPortZero(String address) {
    URI u = URI.create(address);
    return u.getScheme()
        + "://"
        + (u.getHost() == null ? "127.0.0.1" : u.getHost())
        + ":0"
        + (u.getRawPath() == null ? "" : u.getRawPath());
  }

  @SuppressWarnings("unchecked")
  private static <T> T deepCopy(T value) {
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(String.valueOf(k), deepCopy(v)));
      return (T) out;
    }
    if (value instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(o -> out.add(deepCopy(o)));
      return (T) out;
    }
    return value;
  }
}
