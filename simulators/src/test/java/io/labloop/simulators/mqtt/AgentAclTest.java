package io.labloop.simulators.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentAclTest {

  @Test
  void holdsTheRuleLinesOfTheMosquittoAclFile() throws Exception {
    Path acl = Path.of("..", "config", "mosquitto", "acl");
    List<String> lines =
        Files.readAllLines(acl).stream()
            .map(String::strip)
            .filter(l -> !l.isEmpty() && !l.startsWith("#"))
            .map(l -> l.replaceAll("\\s+", " "))
            .toList();
    assertEquals(lines, AgentAcl.ACL_LINES, "config/mosquitto/acl and AgentAcl differ");
  }

  @Test
  void eachAgentOnlyOnItsOwnTopicsAndTheDaemonOnAll() {
    assertTrue(AgentAcl.allows("a", "labloop/agents/a/status", true));
    assertTrue(AgentAcl.allows("a", "labloop/agents/a/heartbeat", true));
    assertTrue(AgentAcl.allows("a", "labloop/agents/a/reply/daemon-1", true));
    assertTrue(AgentAcl.allows("a", "labloop/agents/a/request", false));
    assertFalse(AgentAcl.allows("a", "labloop/agents/a/request", true));
    assertFalse(AgentAcl.allows("a", "labloop/agents/b/status", true));
    assertFalse(AgentAcl.allows("a", "labloop/agents/b/request", false));
    assertFalse(AgentAcl.allows("a", "labloop/agents/b/request", true));
    assertFalse(AgentAcl.allows("a", "lab/xrd/cmd", true));
    assertFalse(AgentAcl.allows("+", "labloop/agents/b/status", true));
    String d = AgentAcl.DAEMON_USER;
    assertTrue(AgentAcl.allows(d, "labloop/agents/a/request", true));
    assertTrue(AgentAcl.allows(d, "labloop/agents/b/request", true));
    assertTrue(AgentAcl.allows(d, "labloop/agents/b/status", false));
    assertTrue(AgentAcl.allows(d, "labloop/agents/b/reply/daemon-1", false));
    assertFalse(AgentAcl.allows(d, "labloop/agents/b/status", true));
  }
}
