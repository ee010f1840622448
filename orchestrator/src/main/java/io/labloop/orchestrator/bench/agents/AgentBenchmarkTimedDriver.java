package io.labloop.orchestrator.bench.agents;

import io.labloop.drivers.Bridges;
import io.labloop.drivers.DriverFactory;
import io.labloop.drivers.Instrument;
import io.labloop.drivers.InstrumentSpec;
import io.labloop.orchestrator.bench.loop.LoopBenchmarkTimedInstrument;
import io.labloop.settings.SettingsProblem;
import java.time.Duration;
import java.util.List;

/**
 * Driver {@code timed} for the site's agents: every command takes {@code duration-ms} and talks to
 * nothing, so the site measures the agents, the broker and the engines, not a protocol.
 */
final class AgentBenchmarkTimedDriver implements DriverFactory {

  static final String TYPE = "timed";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public List<SettingsProblem> check(InstrumentSpec spec) {
    return List.of();
  }

  @Override
  public Instrument create(InstrumentSpec spec, Bridges bridges) {
    long ms = Long.parseLong(String.valueOf(spec.section().get("duration-ms")));
    return new LoopBenchmarkTimedInstrument(spec.name(), Duration.ofMillis(ms));
  }
}
