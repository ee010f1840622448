package io.labloop.simulators;

import io.labloop.settings.SettingsProblem;
import io.labloop.simulators.faults.Fault;
import io.labloop.simulators.world.WorldSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The lab file's {@code simulation:} block, read and checked. The keys accepted (and nothing else)
 * are listed in this package's documentation; {@link #check} reports every problem with its key
 * path so that {@code labloop validate} can point at the line and column. The reading is done by
 * {@code SimulationReader} (the block and its instruments and faults), {@code WorldReader} (the
 * world) and {@code TreeReader} (typed parts of the tree, collecting problems).
 *
 * @param seed makes noise, drift and faults repeatable
 * @param timeScale real time per nominal time of an operation (0 = instant)
 * @param world which response model the world follows
 * @param instruments simulated instruments by name (the names of the lab's {@code instruments:})
 * @param faults fault rates per instrument
 * @param broker {@code embedded} (start an MQTT 5 broker at the address the lab names) or {@code
 *     external} (use the broker already running there)
 * @param brokerAccess the embedded broker's users ({@code broker-users: { NAME: PASSWORD }}; none:
 *     anonymous) and whether it applies the agents' topic rules of config/mosquitto/acl ({@code
 *     broker-acl: agents})
 * @param trustClients which client certificates the OPC UA servers accept
 * @param mdnsInterface where discoverable SiLA 2 servers announce themselves ({@code
 *     mdns-interface}: an interface name or address; empty: the first up, non-loopback,
 *     multicast-capable interface)
 */
public record SimulationSettings(
    long seed,
    double timeScale,
    WorldSpec world,
    Map<String, Instrument> instruments,
    Map<String, Map<Fault, Double>> faults,
    String broker,
    io.labloop.simulators.mqtt.EmbeddedBroker.Access brokerAccess,
    ClientTrust trustClients,
    Optional<String> mdnsInterface) {

  public SimulationSettings {
    instruments = Map.copyOf(instruments);
    faults = Map.copyOf(faults);
  }

  /** Which client certificates the virtual lab's OPC UA servers accept on a secured endpoint. */
  public enum ClientTrust {
    /** Every one ({@code trust-clients: all}, the default): a test device that needs no set-up. */
    ALL("all"),
    /**
     * Only those in the work folder's {@code pki/trusted/certs} ({@code trust-clients:
     * trust-list}), as a real server does; a refused one is saved in {@code pki/rejected}.
     */
    TRUST_LIST("trust-list");

    private final String key;

    ClientTrust(String key) {
      this.key = key;
    }

    /** The value as written in the lab file. */
    public String key() {
      return key;
    }
  }

  /** What a simulated instrument does with the samples of the world. */
  public enum Role {
    /** Makes samples: its commands take the world's inputs and return a sample id. */
    SYNTHESIZER,
    /** Measures samples: its commands take a sample id and return some of the world's outputs. */
    MEASURER
  }

  /**
   * One simulated instrument.
   *
   * @param name its name in the lab file
   * @param role what it does
   * @param duration nominal time of one operation (before the time scale)
   * @param measures for a measurer, the world outputs it reports
   * @param noise standard deviation of the Gaussian noise per output (a measurer) or per input (a
   *     synthesizer: the achieved condition differs from the requested one by this much)
   * @param drift per output, how much its reading shifts with every measurement (slow drift)
   * @param discoverable a SiLA 2 instrument: whether its server announces itself by SiLA Server
   *     Discovery (mDNS); empty: when the lab file finds it that way ({@code discover:})
   */
  public record Instrument(
      String name,
      Role role,
      Duration duration,
      List<String> measures,
      Map<String, Double> noise,
      Map<String, Double> drift,
      Optional<Boolean> discoverable) {
    public Instrument {
      measures = List.copyOf(measures);
      noise = Map.copyOf(noise);
      drift = Map.copyOf(drift);
    }

    public Instrument(
        String name,
        Role role,
        Duration duration,
        List<String> measures,
        Map<String, Double> noise,
        Map<String, Double> drift) {
      this(name, role, duration, measures, noise, drift, Optional.empty());
    }
  }

  /** The simulation block could not be read; {@link #problems()} says why. */
  public static final class InvalidSimulation extends IllegalArgumentException {
    private final transient List<SettingsProblem> problems;

    InvalidSimulation(List<SettingsProblem> problems) {
      super(
          problems.size() == 1
              ? problems.get(0).toString()
              : problems.size() + " problems in the simulation block, first: " + problems.get(0));
      this.problems = List.copyOf(problems);
    }

    public List<SettingsProblem> problems() {
      return problems;
    }
  }

  /**
   * Every problem of the lab file's simulation block (empty when it is fine or absent: real labs
   * have none).
   */
  public static List<SettingsProblem> check(Map<String, Object> labTree) {
    List<SettingsProblem> problems = new ArrayList<>();
    SimulationReader.read(labTree, problems);
    return problems;
  }

  /**
   * Reads the simulation block.
   *
   * @throws InvalidSimulation when it is missing or has problems
   */
  public static SimulationSettings from(Map<String, Object> labTree) {
    List<SettingsProblem> problems = new ArrayList<>();
    if (!(labTree.get("simulation") instanceof Map<?, ?>)) {
      problems.add(
          new SettingsProblem(
              List.of("simulation"),
              "the lab file has no simulation block (expected simulation: { world: ..., instruments: ... })"));
      throw new InvalidSimulation(problems);
    }
    SimulationSettings settings = SimulationReader.read(labTree, problems);
    if (!problems.isEmpty()) {
      throw new InvalidSimulation(problems);
    }
    return settings;
  }
}
