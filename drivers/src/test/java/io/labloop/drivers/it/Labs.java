package io.labloop.drivers.it;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.labloop.drivers.Drivers;
import io.labloop.drivers.Instrument;
import io.labloop.drivers.InstrumentError;
import io.labloop.drivers.InstrumentSpec;
import io.labloop.drivers.Reply;
import io.labloop.simulators.VirtualLab;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Lab files for the integration tests, and the few steps every test repeats. */
final class Labs {

  static final Map<String, Object> SYNTH_ARGS =
      Map.of("temperature", 120.0, "time", 10.0, "concentration", 1.0, "solvent", "water");

  private Labs() {}

  /** A lab tree: the given instrument sections, each simulated with the given simulation entry. */
  static Map<String, Object> lab(
      Map<String, Object> instruments, Map<String, Object> simulated, double timeScale) {
    Map<String, Object> simulation = new LinkedHashMap<>();
    simulation.put("seed", 3);
    simulation.put("time-scale", timeScale);
    simulation.put("world", Map.of("model", "silver-nanoparticles"));
    simulation.put("instruments", simulated);
    Map<String, Object> lab = new LinkedHashMap<>();
    lab.put("lab", "driver-it");
    lab.put("instruments", instruments);
    lab.put("simulation", simulation);
    return lab;
  }

  static Map<String, Object> synthesizer() {
    return Map.of("role", "synthesizer", "duration", 0);
  }

  static Map<String, Object> measurer(List<String> measures, String duration) {
    return Map.of("role", "measurer", "measures", measures, "duration", duration);
  }

  /**
   * The instrument's section as the running lab has it (real ports), with {@code changes} applied.
   */
  @SuppressWarnings("unchecked")
  static Map<String, Object> section(VirtualLab lab, String name, Map<String, Object> changes) {
    Map<String, Object> s =
        new LinkedHashMap<>(
            (Map<String, Object>)
                ((Map<String, Object>) lab.labTree().get("instruments")).get(name));
    s.putAll(changes);
    return s;
  }

  static Instrument create(Drivers drivers, VirtualLab lab, String name, Path dataDir) {
    return create(drivers, name, section(lab, name, Map.of()), dataDir);
  }

  static Instrument create(
      Drivers drivers, String name, Map<String, Object> section, Path dataDir) {
    return drivers.create(
        new InstrumentSpec(name, String.valueOf(section.get("driver")), section, dataDir));
  }

  /**
   * How long a test waits for an answer it expects: generous, because the answer (a first
   * connection makes a 2048-bit client key and does the handshake) comes much later on a machine
   * whose cores are all busy, and waiting longer costs nothing when it comes at once.
   */
  static final int ANSWER_SECONDS = 60;

  static Reply ok(CompletableFuture<Reply> reply) throws Exception {
    return reply.get(ANSWER_SECONDS, TimeUnit.SECONDS);
  }

  static <T extends InstrumentError> T fails(CompletableFuture<?> future, Class<T> kind) {
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> future.get(ANSWER_SECONDS, TimeUnit.SECONDS));
    return assertInstanceOf(
        kind, e.getCause(), () -> "expected " + kind.getSimpleName() + " but got " + e.getCause());
  }
}
