package io.labloop.orchestrator.bench;

import io.labloop.drivers.Command;
import io.labloop.drivers.Instrument;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The sample the measuring benchmarks measure: one synthesis on the virtual robot at fixed
 * conditions, so that every timed {@code measure} reads a sample the virtual world knows.
 */
public final class BenchSample {

  private BenchSample() {}

  /** Synthesizes one sample on a connected robot and returns its {@code sampleId}. */
  public static String synthesize(Instrument robot) throws Exception {
    Map<String, Object> conditions =
        Map.of("temperature", 120.0, "time", 10.0, "concentration", 1.0, "solvent", "water");
    return String.valueOf(
        robot
            .execute(new Command("synthesize", conditions))
            .get(30, TimeUnit.SECONDS)
            .outputs()
            .get("sampleId"));
  }
}
