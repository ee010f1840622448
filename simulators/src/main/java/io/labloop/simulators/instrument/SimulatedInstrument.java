package io.labloop.simulators.instrument;

import io.labloop.simulators.SimulationSettings;
import io.labloop.simulators.SimulationSettings.Role;
import io.labloop.simulators.faults.Fault;
import io.labloop.simulators.faults.FaultPlan;
import io.labloop.simulators.journal.CommandJournal;
import io.labloop.simulators.world.Sample;
import io.labloop.simulators.world.VirtualWorld;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One simulated instrument: what it does with a command, independent of the protocol.
 *
 * <p>For each command: (1) it is appended to the journal (it reached the instrument, whatever
 * happens next); (2) the fault plan may decide a fault: TIMEOUT, DISCONNECT, RESTART and REFUSE
 * happen before any work is done, GARBAGE after the work, in place of the answer; (3) a second
 * command while one runs is refused as busy; (4) the operation takes {@code duration × time-scale},
 * during which the state is Busy and Abort() (or a restart) ends it early; (5) a synthesizer makes
 * a sample at the achieved conditions (requested + Gaussian noise per input), a measurer reports
 * the sample's true values + drift × measurements so far + Gaussian noise.
 *
 * <p>Random draws come from one generator per instrument seeded from the lab's seed and the
 * instrument's name, in command order, so the same seed and the same commands give the same
 * readings.
 */
public final class SimulatedInstrument {

  private static final Logger log = LoggerFactory.getLogger(SimulatedInstrument.class);

  /** Room temperature, where a synthesizer's reactor sits when idle (degC). */
  static final double AMBIENT = 25.0;

  private final SimulationSettings.Instrument settings;
  private final VirtualWorld world;
  private final FaultPlan faults;
  private final CommandJournal journal;
  private final double timeScale;
  private final Random random;
  private final Object lock = new Object();
  private final Map<String, Object> variables = new LinkedHashMap<>();
  private final List<BiConsumer<String, Object>> listeners = new CopyOnWriteArrayList<>();
  private boolean busy;
  private long abortGeneration;
  private long measurements;

  public SimulatedInstrument(
      SimulationSettings.Instrument settings,
      VirtualWorld world,
      FaultPlan faults,
      CommandJournal journal,
      double timeScale,
      long seed) {
    this.settings = settings;
    this.world = world;
    this.faults = faults;
    this.journal = journal;
    this.timeScale = timeScale;
    this.random = new Random(seed * 1_000_003L + settings.name().hashCode());
    variables.put("State", "Idle");
    variables.put("Temperature", AMBIENT);
    variables.put("Door", "Closed");
  }

  public String name() {
    return settings.name();
  }

  public Role role() {
    return settings.role();
  }

  public FaultPlan faults() {
    return faults;
  }

  public VirtualWorld world() {
    return world;
  }

  /** The value of a process variable (State, Temperature, Door). */
  public Object variable(String name) {
    synchronized (lock) {
      return variables.get(name);
    }
  }

  /** The names of its process variables. */
  public List<String> variableNames() {
    synchronized (lock) {
      return new ArrayList<>(variables.keySet());
    }
  }

  /** Sets a process variable, e.g. opens the door from a test to check an interlock. */
  public void setVariable(String name, Object value) {
    synchronized (lock) {
      variables.put(name, value);
    }
    for (BiConsumer<String, Object> l : listeners) {
      l.accept(name, value);
    }
  }

  /**
   * Tells {@code listener} about every variable change (the OPC UA server mirrors them as nodes).
   */
  public void onVariableChange(BiConsumer<String, Object> listener) {
    listeners.add(listener);
  }

  /**
   * The name of the argument that carries a sample id: {@code sampleId}, else one containing
   * "sample", else the only one.
   */
  public static Optional<String> sampleArgument(List<String> inputs) {
    for (String i : inputs) {
      if (i.equals("sampleId")) {
        return Optional.of(i);
      }
    }
    for (String i : inputs) {
      if (i.toLowerCase(Locale.ROOT).contains("sample")) {
        return Optional.of(i);
      }
    }
    return inputs.size() == 1 ? Optional.of(inputs.get(0)) : Optional.empty();
  }

  /** The argument names a command takes when the lab file lists none. */
  public List<String> defaultInputs() {
    return settings.role() == Role.SYNTHESIZER ? world.model().inputs() : List.of("sampleId");
  }

  /** The output names a command returns when the lab file lists none. */
  public List<String> defaultOutputs() {
    return settings.role() == Role.SYNTHESIZER ? List.of("sampleId") : settings.measures();
  }

  /**
   * The inputs of a command: as the lab file lists them; when it lists none, the defaults of the
   * instrument's role (the world's inputs, or a sample id) if the command's outputs are those of a
   * synthesis or a measurement (or not given), else none: a command such as {@code home} takes no
   * arguments.
   */
  public List<String> inputsOf(CommandBinding command) {
    if (!command.inputs().isEmpty()) {
      return command.inputs();
    }
    List<String> outputs = command.outputs();
    boolean producesSamplesOrReadings =
        outputs.isEmpty()
            || outputs.stream().anyMatch(o -> isTextOutput(o) || settings.measures().contains(o));
    return producesSamplesOrReadings ? defaultInputs() : List.of();
  }

  /**
   * The outputs of a command: as the lab file lists them; when it lists none, a sample id for a
   * synthesis, the measured outputs for a measurement, nothing for any other command.
   */
  public List<String> outputsOf(CommandBinding command) {
    if (!command.outputs().isEmpty()) {
      return command.outputs();
    }
    List<String> inputs = inputsOf(command);
    if (settings.role() == Role.SYNTHESIZER) {
      return inputs.stream().anyMatch(world.model().inputs()::contains)
          ? List.of("sampleId")
          : List.of();
    }
    return sampleArgument(inputs).isPresent() ? settings.measures() : List.of();
  }

  /** Whether an input takes text (a sample id, a categorical condition) rather than a number. */
  public boolean isTextInput(String input) {
    return world.model().categories().containsKey(input)
        || input.toLowerCase(Locale.ROOT).contains("sample");
  }

  /** Whether an output is text (a sample id) rather than a number. */
  public boolean isTextOutput(String output) {
    return output.toLowerCase(Locale.ROOT).contains("sample");
  }

  /**
   * Handles one command.
   *
   * @param command the command's name in the lab file
   * @param inputs the names of its arguments (from the lab file, or the defaults)
   * @param outputs the names of its outputs (from the lab file, or the defaults)
   * @param arguments the values received
   */
  public Outcome handle(
      String command, List<String> inputs, List<String> outputs, Map<String, Object> arguments) {
    journal.record(name(), command, arguments);
    Optional<Fault> fault = faults.draw();
    if (fault.isPresent()) {
      log.info("{}: fault {} on {}", name(), fault.get(), command);
      switch (fault.get()) {
        case RESTART -> {
          restart();
          return new Outcome.Faulted(Fault.RESTART, Map.of());
        }
        case REFUSE -> {
          return new Outcome.Failure(
              Outcome.Reason.REFUSED,
              "refused: " + command + " is not allowed now (simulated fault)");
        }
        case GARBAGE -> {
          Outcome real = run(inputs, outputs, arguments);
          return new Outcome.Faulted(
              Fault.GARBAGE, real instanceof Outcome.Answer a ? a.outputs() : Map.of());
        }
        default -> {
          return new Outcome.Faulted(fault.get(), Map.of());
        }
      }
    }
    return run(inputs, outputs, arguments);
  }

  private Outcome run(List<String> inputs, List<String> outputs, Map<String, Object> arguments) {
    boolean synthesis =
        settings.role() == Role.SYNTHESIZER
            && inputs.stream().anyMatch(i -> world.model().inputs().contains(i));
    Optional<String> sampleArg =
        settings.role() == Role.MEASURER ? sampleArgument(inputs) : Optional.empty();
    // Check the arguments before taking time, as an instrument validates a request before it
    // starts.
    Map<String, Object> conditions = new LinkedHashMap<>();
    Sample sample = null;
    if (synthesis) {
      for (String i : world.model().inputs()) {
        if (!arguments.containsKey(i)) {
          return new Outcome.Failure(Outcome.Reason.BAD_ARGUMENT, "missing argument '" + i + "'");
        }
        conditions.put(i, arguments.get(i));
      }
      try {
        world.model().evaluate(conditions);
      } catch (IllegalArgumentException e) {
        return new Outcome.Failure(Outcome.Reason.BAD_ARGUMENT, e.getMessage());
      }
    } else if (sampleArg.isPresent()) {
      Object id = arguments.get(sampleArg.get());
      if (id == null || String.valueOf(id).isBlank()) {
        return new Outcome.Failure(
            Outcome.Reason.BAD_ARGUMENT, "missing argument '" + sampleArg.get() + "'");
      }
      Optional<Sample> found = world.sample(String.valueOf(id));
      if (found.isEmpty()) {
        return new Outcome.Failure(
            Outcome.Reason.UNKNOWN_SAMPLE, "unknown sample " + String.valueOf(id).trim());
      }
      sample = found.get();
    }

    long generation;
    synchronized (lock) {
      if (busy) {
        return new Outcome.Failure(Outcome.Reason.BUSY, "busy: another operation is running");
      }
      busy = true;
      generation = abortGeneration;
    }
    setVariable("State", "Busy");
    try {
      Map<String, Object> achieved = new LinkedHashMap<>(conditions);
      if (synthesis) {
        synchronized (lock) {
          for (Map.Entry<String, Object> e : conditions.entrySet()) {
            Double sigma = settings.noise().get(e.getKey());
            if (sigma != null && sigma > 0 && !world.model().categories().containsKey(e.getKey())) {
              achieved.put(
                  e.getKey(),
                  ((Number) toNumber(e.getValue())).doubleValue() + sigma * random.nextGaussian());
            }
          }
        }
        if (achieved.get("temperature") instanceof Number t) {
          setVariable("Temperature", t.doubleValue());
        }
      }
      if (!waitOperation(generation)) {
        return new Outcome.Failure(Outcome.Reason.ABORTED, "aborted before it finished");
      }
      Map<String, Object> out = new LinkedHashMap<>();
      if (synthesis) {
        Sample made = world.synthesize(achieved);
        for (String o : outputs) {
          Object v = isTextOutput(o) ? made.id() : achievedValue(o, achieved);
          if (v != null) {
            out.put(o, v);
          }
        }
        setVariable("Temperature", AMBIENT);
      } else if (sample != null) {
        synchronized (lock) {
          measurements++;
          List<String> reported = outputs.stream().filter(settings.measures()::contains).toList();
          for (String o : reported.isEmpty() ? settings.measures() : reported) {
            double value = sample.truth().getOrDefault(o, Double.NaN);
            value += settings.drift().getOrDefault(o, 0.0) * measurements;
            double sigma = settings.noise().getOrDefault(o, 0.0);
            value += sigma * random.nextGaussian();
            out.put(o, value);
          }
        }
      }
      return new Outcome.Answer(out);
    } finally {
      synchronized (lock) {
        busy = false;
      }
      setVariable("State", "Idle");
    }
  }

  /**
   * An output such as {@code actualTemperature} or {@code achievedTime}: the achieved condition.
   */
  private static Object achievedValue(String output, Map<String, Object> achieved) {
    for (String prefix : List.of("actual", "achieved")) {
      if (output.startsWith(prefix) && output.length() > prefix.length()) {
        String input =
            Character.toLowerCase(output.charAt(prefix.length()))
                + output.substring(prefix.length() + 1);
        if (achieved.containsKey(input)) {
          return toNumber(achieved.get(input));
        }
      }
    }
    return achieved.containsKey(output) ? toNumber(achieved.get(output)) : null;
  }

  private static Object toNumber(Object value) {
    if (value instanceof String s) {
      try {
        return Double.parseDouble(s.trim());
      } catch (NumberFormatException e) {
        return s;
      }
    }
    return value;
  }

  /** Waits the operation's scaled duration; false if aborted meanwhile. */
  private boolean waitOperation(long generation) {
    long nanos = (long) (settings.duration().toNanos() * timeScale);
    long deadline = System.nanoTime() + nanos;
    synchronized (lock) {
      while (abortGeneration == generation) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return true;
        }
        try {
          lock.wait(Math.max(1, left / 1_000_000), 0);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return false;
    }
  }

  /**
   * Hangs as an instrument that never answers: returns when it is aborted, restarted or after
   * {@code maxMillis}.
   */
  public void hang(long maxMillis) {
    long deadline = System.currentTimeMillis() + maxMillis;
    synchronized (lock) {
      long generation = abortGeneration;
      while (abortGeneration == generation) {
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
          return;
        }
        try {
          lock.wait(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** Abort(): ends the running operation (and any hang); the instrument goes back to Idle. */
  public void abort() {
    synchronized (lock) {
      abortGeneration++;
      lock.notifyAll();
    }
  }

  /** A restart: the running operation is lost, drift and readings start over. */
  public void restart() {
    abort();
    synchronized (lock) {
      measurements = 0;
    }
    setVariable("State", "Idle");
    setVariable("Temperature", AMBIENT);
  }
}
