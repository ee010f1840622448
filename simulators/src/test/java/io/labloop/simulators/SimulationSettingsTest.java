package io.labloop.simulators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.labloop.settings.SettingsProblem;
import io.labloop.simulators.faults.Fault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimulationSettingsTest {

  private static Map<String, Object> lab() {
    return TestLabs.tree(Path.of("unused"), "robot", "spectrometer", "xrd");
  }

  private static SettingsProblem only(Map<String, Object> tree) {
    List<SettingsProblem> problems = SimulationSettings.check(tree);
    assertEquals(1, problems.size(), problems.toString());
    return problems.get(0);
  }

  @Test
  void theTestLabIsReadAsWritten() {
    Map<String, Object> tree = lab();
    TestLabs.section(tree, "simulation")
        .put("faults", Map.of("spectrometer", Map.of("timeout-rate", 0.02, "garbage-rate", 0.01)));
    assertEquals(List.of(), SimulationSettings.check(tree));
    SimulationSettings s = SimulationSettings.from(tree);
    assertEquals(7, s.seed());
    assertEquals(Duration.ofMinutes(30), s.instruments().get("robot").duration());
    assertEquals(List.of("peak", "fwhm"), s.instruments().get("spectrometer").measures());
    assertEquals(0.5, s.instruments().get("spectrometer").noise().get("peak"));
    assertEquals(Map.of(Fault.TIMEOUT, 0.02, Fault.GARBAGE, 0.01), s.faults().get("spectrometer"));
  }

  @Test
  void aLabWithoutSimulationHasNoProblemsButCannotStart() {
    Map<String, Object> tree = lab();
    tree.remove("simulation");
    assertEquals(List.of(), SimulationSettings.check(tree));
    assertThrows(SimulationSettings.InvalidSimulation.class, () -> SimulationSettings.from(tree));
  }

  @Test
  void aMisspeltKeyIsReportedWithItsPathAndASuggestion() {
    Map<String, Object> tree = lab();
    TestLabs.section(tree, "simulation").put("time-scael", 0.1);
    SettingsProblem p = only(tree);
    assertEquals(List.of("simulation", "time-scael"), p.path());
    assertTrue(p.message().contains("did you mean 'time-scale'"), p.message());
  }

  @Test
  void discoveryKeysAreReadAndChecked() {
    Map<String, Object> tree = lab();
    TestLabs.section(tree, "simulation").put("mdns-interface", "eth0");
    TestLabs.section(tree, "simulation", "instruments", "robot").put("discoverable", true);
    assertEquals(List.of(), SimulationSettings.check(tree));
    SimulationSettings s = SimulationSettings.from(tree);
    assertEquals(java.util.Optional.of("eth0"), s.mdnsInterface());
    assertEquals(java.util.Optional.of(true), s.instruments().get("robot").discoverable());
    assertEquals(java.util.Optional.empty(), s.instruments().get("spectrometer").discoverable());
    TestLabs.section(tree, "simulation", "instruments", "robot").put("discoverable", "yes");
    SettingsProblem p = only(tree);
    assertEquals(List.of("simulation", "instruments", "robot", "discoverable"), p.path());
  }

  @Test
  void noiseForAnOutputTheInstrumentDoesNotMeasure() {
    Map<String, Object> tree = lab();
    TestLabs.section(tree, "simulation", "instruments", "spectrometer")
        .put("noise", Map.of("peek", 0.5));
    SettingsProblem p = only(tree);
    assertEquals(List.of("simulation", "instruments", "spectrometer", "noise", "peek"), p.path());
    assertTrue(p.message().contains("did you mean 'peak'"), p.message());
  }

  @Test
  void measuresMustBeWorldOutputs() {
    Map<String, Object> tree = lab();
    TestLabs.section(tree, "simulation", "instruments", "xrd")
        .put("measures", List.of("crystalinity"));
    TestLabs.section(tree, "simulation", "instruments", "xrd").remove("noise");
    SettingsProblem p = only(tree);
    assertEquals(List.of("simulation", "instruments", "xrd", "measures", 0), p.path());
    assertTrue(p.message().contains("'crystallinity'"), p.message());
  }

  @Test
  void faultRatesAreProbabilitiesThatAddUpToAtMostOne() {
    Map<String, Object> tree = lab();
    TestLabs.section(tree, "simulation").put("faults", Map.of("xrd", Map.of("timeout-rate", 1.5)));
    assertEquals(List.of("simulation", "faults", "xrd", "timeout-rate"), only(tree).path());
    TestLabs.section(tree, "simulation")
        .put("faults", Map.of("xrd", Map.of("timeout-rate", 0.6, "refuse-rate", 0.6)));
    assertTrue(only(tree).message().contains("add up to"));
    TestLabs.section(tree, "simulation").put("faults", Map.of("xrd", Map.of("explode-rate", 0.1)));
    assertEquals(List.of("simulation", "faults", "xrd", "explode-rate"), only(tree).path());
  }

  @Test
  void anInstrumentMustExistInTheLab() {
    Map<String, Object> tree = lab();
    TestLabs.section(tree, "simulation", "instruments")
        .put("spectrometr", Map.of("role", "measurer", "measures", List.of("peak")));
    SettingsProblem p = only(tree);
    assertEquals(List.of("simulation", "instruments", "spectrometr"), p.path());
    assertTrue(p.message().contains("did you mean 'spectrometer'"), p.message());
  }

  @Test
  void everyWorldKindIsChecked() {
    Map<String, Object> tree = lab();
    Map<String, Object> sim = TestLabs.section(tree, "simulation");
    sim.put("world", Map.of("model", "gold-nanorods"));
    assertEquals(
        List.of("simulation", "world", "model"), SimulationSettings.check(tree).get(0).path());
    sim.put("world", Map.of("expression", Map.of("peak", "3 * (x +")));
    assertEquals(
        List.of("simulation", "world", "expression", "peak"),
        SimulationSettings.check(tree).get(0).path());
    sim.put("world", Map.of("function", "branin", "dataset", "runs.csv"));
    assertTrue(SimulationSettings.check(tree).get(0).message().contains("only one of"));
    sim.put("world", Map.of("dataset", "runs.csv", "inputs", List.of("t")));
    assertEquals(
        List.of("simulation", "world", "outputs"), SimulationSettings.check(tree).get(0).path());
    sim.put("world", Map.of("function", "hartmann6"));
    sim.put(
        "instruments",
        Map.of(
            "robot",
            Map.of("role", "synthesizer"),
            "spectrometer",
            Map.of("role", "measurer", "measures", List.of("y"))));
    assertEquals(List.of(), SimulationSettings.check(tree));
  }

  @Test
  void badValuesSayWhatWasExpected() {
    Map<String, Object> tree = lab();
    TestLabs.section(tree, "simulation").put("seed", "seven");
    TestLabs.section(tree, "simulation", "instruments", "robot").put("role", "mixer");
    TestLabs.section(tree, "simulation", "instruments", "robot").put("duration", "soon");
    List<SettingsProblem> problems = SimulationSettings.check(tree);
    assertEquals(3, problems.size(), problems.toString());
    assertTrue(problems.stream().anyMatch(p -> p.message().contains("whole number")));
    assertTrue(problems.stream().anyMatch(p -> p.message().contains("synthesizer or measurer")));
    assertTrue(problems.stream().anyMatch(p -> p.message().contains("500ms, 30s, 10m or 2h")));
  }

  @Test
  void trustClientsIsAllByDefaultOrATrustListForSecuredOpcUaInstruments() {
    Map<String, Object> tree = lab();
    assertEquals(SimulationSettings.ClientTrust.ALL, SimulationSettings.from(tree).trustClients());

    TestLabs.section(tree, "simulation").put("trust-clients", "trust-list");
    SettingsProblem noEffect = only(tree);
    assertEquals(List.of("simulation", "trust-clients"), noEffect.path());
    assertTrue(
        noEffect.message().contains("no simulated OPC UA instrument has a security policy"),
        noEffect.message());

    TestLabs.section(tree, "instruments", "robot")
        .put("security", Map.of("policy", "Aes128_Sha256_RsaOaep"));
    assertEquals(List.of(), SimulationSettings.check(tree));
    assertEquals(
        SimulationSettings.ClientTrust.TRUST_LIST, SimulationSettings.from(tree).trustClients());

    TestLabs.section(tree, "simulation").put("trust-clients", "some");
    SettingsProblem bad = only(tree);
    assertEquals(List.of("simulation", "trust-clients"), bad.path());
    assertEquals(
        "trust-clients must be 'all' (the OPC UA servers accept every client certificate) or 'trust-list'"
            + " (only those in the work folder's pki/trusted/certs), got 'some'",
        bad.message());
  }

  @Test
  void brokerUsersAndTheAgentsTopicRules() {
    Map<String, Object> tree = lab();
    assertEquals(
        io.labloop.simulators.mqtt.EmbeddedBroker.Access.OPEN,
        SimulationSettings.from(tree).brokerAccess());
    TestLabs.section(tree, "simulation").put("broker-users", Map.of("a", "pa"));
    TestLabs.section(tree, "simulation").put("broker-acl", "agents");
    assertEquals(
        new io.labloop.simulators.mqtt.EmbeddedBroker.Access(Map.of("a", "pa"), true),
        SimulationSettings.from(tree).brokerAccess());
    TestLabs.section(tree, "simulation").remove("broker-users");
    assertTrue(only(tree).message().contains("needs broker-users"), only(tree).toString());
    TestLabs.section(tree, "simulation").put("broker-acl", "all");
    assertTrue(only(tree).message().contains("must be 'agents'"), only(tree).toString());
  }
}
