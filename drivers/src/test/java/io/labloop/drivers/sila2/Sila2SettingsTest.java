package io.labloop.drivers.sila2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.labloop.settings.Section;
import io.labloop.settings.SettingsProblem;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The SiLA 2 section: a server by address or by discovery, exactly one of them. */
class Sila2SettingsTest {

  private static Map<String, Object> section(Map<String, Object> extra) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("driver", "sila2");
    s.putAll(extra);
    s.put("commands", Map.of("synthesize", Map.of("timeout", "3s")));
    return s;
  }

  private static List<SettingsProblem> problems(Map<String, Object> extra) {
    List<SettingsProblem> problems = new ArrayList<>();
    Sila2Settings.read(Section.of(section(extra), problems), Path.of("data"));
    return problems;
  }

  @Test
  void aServerByAddress() {
    List<SettingsProblem> problems = new ArrayList<>();
    Sila2Settings s =
        Sila2Settings.read(
            Section.of(section(Map.of("server", "10.0.0.5:50052")), problems), Path.of("data"));
    assertEquals(List.of(), problems);
    assertEquals("10.0.0.5", s.host());
    assertEquals(50052, s.port());
    assertEquals(Optional.empty(), s.discover());
  }

  @Test
  void aServerByDiscovery() {
    List<SettingsProblem> problems = new ArrayList<>();
    Sila2Settings s =
        Sila2Settings.read(
            Section.of(
                section(
                    Map.of(
                        "discover",
                        "Synthesis robot",
                        "discover-timeout",
                        "2s",
                        "discover-interface",
                        "eth0")),
                problems),
            Path.of("data"));
    assertEquals(List.of(), problems);
    assertEquals(Optional.of("Synthesis robot"), s.discover());
    assertEquals(Duration.ofSeconds(2), s.discoverTimeout());
    assertEquals(Optional.of("eth0"), s.discoverInterface());
    assertEquals("SiLA server 'Synthesis robot'", s.address());
  }

  @Test
  void discoveryWaitsFiveSecondsByDefault() {
    List<SettingsProblem> problems = new ArrayList<>();
    Sila2Settings s =
        Sila2Settings.read(
            Section.of(section(Map.of("discover", "Robot")), problems), Path.of("data"));
    assertEquals(List.of(), problems);
    assertEquals(Duration.ofSeconds(5), s.discoverTimeout());
  }

  @Test
  void bothServerAndDiscoverIsAProblemAtDiscover() {
    List<SettingsProblem> problems =
        problems(Map.of("server", "127.0.0.1:50052", "discover", "Robot"));
    assertEquals(1, problems.size(), problems::toString);
    assertEquals(List.of("discover"), problems.get(0).path());
    assertTrue(problems.get(0).message().contains("exclude each other"), problems::toString);
  }

  @Test
  void neitherServerNorDiscoverIsAProblemNamingBoth() {
    List<SettingsProblem> problems = problems(Map.of());
    assertEquals(1, problems.size(), problems::toString);
    assertEquals(List.of(), problems.get(0).path());
    assertTrue(problems.get(0).message().contains("missing 'server'"), problems::toString);
    assertTrue(problems.get(0).message().contains("discover: NAME"), problems::toString);
  }

  @Test
  void discoverOptionsWithoutDiscoverAndABadTimeoutAreProblems() {
    List<SettingsProblem> problems =
        problems(Map.of("server", "127.0.0.1:50052", "discover-timeout", "2s"));
    assertEquals(1, problems.size(), problems::toString);
    assertEquals(List.of("discover-timeout"), problems.get(0).path());
    assertEquals(
        List.of("discover-timeout"),
        problems(Map.of("discover", "Robot", "discover-timeout", "soon")).get(0).path());
    assertEquals(List.of("discover"), problems(Map.of("discover", " ")).get(0).path());
  }

  @Test
  void matchesByServerNameOrUuid() {
    String uuid = "2b9f6a0e-4c1d-4d8e-9a53-7f0c1e2d3a4b";
    assertTrue(SilaDiscovery.matches("Robot", uuid, "Robot"));
    assertTrue(SilaDiscovery.matches(uuid.toUpperCase(), uuid, "Robot"));
    assertEquals(false, SilaDiscovery.matches("robot", uuid, "Robot"));
  }
}
