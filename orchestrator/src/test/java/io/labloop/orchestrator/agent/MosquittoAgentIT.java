package io.labloop.orchestrator.agent;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The documented Mosquitto setup ({@code config/mosquitto/mosquitto.conf} and {@code
 * config/mosquitto/acl}) with Debian's Mosquitto 2 as a child process on a free loopback port, a
 * password file made with {@code mosquitto_passwd}, and {@code labloop agent} as a real child
 * process: an agent with its password comes online, a wrong password is refused with a message that
 * says so, and an agent that writes to (or reads) another agent's topics is refused by the access
 * list, with a message that says which topic. Skipped where Mosquitto is not installed ({@code
 * .ci/run} installs it).
 */
class MosquittoAgentIT {

  private static final String DAEMON = "labloop-daemon";

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path dir;

  private Process mosquitto;
  private int port;
  private final List<BrokerClient> clients = new ArrayList<>();
  private final List<AgentLink> links = new ArrayList<>();

  @BeforeEach
  void startMosquitto() throws Exception {
    Assumptions.assumeTrue(
        Mosquitto.installed(),
        "Mosquitto 2 is not installed (/usr/sbin/mosquitto, /usr/bin/mosquitto_passwd): apt"
            + " install mosquitto (.ci/run does) to test the documented access list");
    Path config = Mosquitto.configDir();
    Path passwords = dir.resolve("labloop.passwd");
    Mosquitto.passwd("-b", "-c", passwords.toString(), DAEMON, "daemon-secret");
    Mosquitto.passwd("-b", passwords.toString(), "spectro-pc", "spectro-secret");
    Mosquitto.passwd("-b", passwords.toString(), "robot-pc", "robot-secret");
    port = LabloopProcesses.freePort();
    Path conf = dir.resolve("mosquitto.conf");
    Files.writeString(
        conf, testConf(config.resolve("mosquitto.conf"), config.resolve("acl"), passwords));
    mosquitto =
        new ProcessBuilder(Mosquitto.BROKER.toString(), "-c", conf.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("mosquitto.log").toFile())
            .start();
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .failFast("mosquitto stopped: " + dir.resolve("mosquitto.log"), () -> !mosquitto.isAlive())
        .until(() -> Mosquitto.accepting(port));
  }

  @AfterEach
  void stopMosquitto() throws InterruptedException {
    clients.forEach(BrokerClient::close);
    links.forEach(AgentLink::close);
    if (mosquitto != null) {
      mosquitto.destroy();
      if (!mosquitto.waitFor(5, TimeUnit.SECONDS)) mosquitto.destroyForcibly();
    }
  }

  @Test
  void theDocumentedAccessListLetsEachAgentUseItsOwnTopicsOnly() throws Exception {
    Path lab = writeLab();
    Files.writeString(dir.resolve("spectro.password"), "spectro-secret\n");
    Files.writeString(dir.resolve("wrong.password"), "not-the-password\n");

    // The daemon's side, as a daemon runs it, logged in as the documented daemon user.
    AgentLink daemon =
        new AgentLink(
            BrokerSettings.plain(broker())
                .withUser(Optional.of(DAEMON), Optional.of("daemon-secret")));
    links.add(daemon);
    daemon.connect(Duration.ofSeconds(5));

    try (LabloopProcesses p = new LabloopProcesses(dir)) {
      // (a) the agent with its password comes online: its retained status says so
      Process agent =
          p.start(
              "spectro-pc",
              "agent",
              lab.toString(),
              "--name",
              "spectro-pc",
              "--broker",
              broker(),
              "--username",
              "spectro-pc",
              "--password-file",
              dir.resolve("spectro.password").toString(),
              "--data",
              "agent-spectro");
      p.awaitOutput("spectro-pc", agent, "online on", Duration.ofSeconds(20));
      AgentState seen =
          await()
              .atMost(Duration.ofSeconds(10))
              .until(
                  () -> daemon.agent("spectro-pc").orElse(null),
                  a -> a != null && a.online() && a.lastHeartbeat().isPresent());
      assertEquals(List.of("spectrometer"), seen.instruments());
      // a client that comes later gets the status as the broker kept it: retained, online
      List<MqttMessage> kept = new java.util.concurrent.CopyOnWriteArrayList<>();
      client(
              DAEMON,
              "daemon-secret",
              List.of(new AgentTopics("spectro-pc").status()),
              (t, m) -> kept.add(m))
          .connect(Duration.ofSeconds(5));
      await().atMost(Duration.ofSeconds(5)).until(() -> !kept.isEmpty());
      assertTrue(kept.get(0).isRetained(), "the status is retained");
      assertEquals("online", AgentMessages.read(kept.get(0).getPayload()).get("state"));
      // a request through the broker and its answer on the agent's reply topic (the serial port
      // does not exist, so the answer is the instrument's failure, told by the agent)
      Map<String, Object> reply =
          daemon
              .request(
                  "spectro-pc",
                  "spectrometer",
                  "read x",
                  Map.of("op", "read", "instrument", "spectrometer", "variable", "x"),
                  Duration.ofSeconds(10))
              .get(15, TimeUnit.SECONDS);
      assertEquals(false, reply.get("ok"), reply::toString);

      // (b) a wrong password: one line naming the broker and the reason, exit code not 0
      Process wrong =
          p.start(
              "robot-pc",
              "agent",
              lab.toString(),
              "--name",
              "robot-pc",
              "--broker",
              broker(),
              "--username",
              "robot-pc",
              "--password-file",
              dir.resolve("wrong.password").toString(),
              "--data",
              "agent-robot");
      assertTrue(wrong.waitFor(20, TimeUnit.SECONDS), () -> p.tail("robot-pc"));
      String out = p.output("robot-pc");
      assertNotEquals(0, wrong.exitValue(), out);
      String refusal =
          out.lines()
              .filter(l -> l.startsWith("labloop agent: "))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no error line:\n" + out));
      assertTrue(refusal.contains(broker()), refusal);
      assertTrue(refusal.contains("user 'robot-pc'"), refusal);
      // Mosquitto 2 answers a wrong password with MQTT 5 reason code 135 "not authorized"
      assertTrue(refusal.contains("not authorized"), refusal);
      assertTrue(refusal.contains("wrong user name or password"), refusal);
      assertFalse(out.contains("\tat ") || out.contains("Caused by"), "no stack trace:\n" + out);
      assertTrue(daemon.agent("spectro-pc").orElseThrow().online(), "spectro-pc is still online");
      assertTrue(daemon.agent("robot-pc").isEmpty(), "the refused agent never said online");
    }
  }

  @Test
  void anAgentWritingOrReadingAnotherAgentsTopicsIsRefused() throws Exception {
    Map<String, Map<String, Object>> status = new ConcurrentHashMap<>();
    BrokerClient daemon =
        client(
            DAEMON,
            "daemon-secret",
            List.of(AgentTopics.allStatus()),
            (topic, m) -> {
              try {
                status.put(
                    AgentTopics.agentOf(topic).orElseThrow(), AgentMessages.read(m.getPayload()));
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            });
    daemon.connect(Duration.ofSeconds(5));
    AgentTopics spectro = new AgentTopics("spectro-pc");
    AgentTopics robot = new AgentTopics("robot-pc");
    BrokerClient real = client("spectro-pc", "spectro-secret", List.of(), (t, m) -> {});
    real.connect(Duration.ofSeconds(5));
    real.publish(spectro.status(), "{\"state\":\"online\"}", true).get(5, TimeUnit.SECONDS);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> "online".equals(status.getOrDefault("spectro-pc", Map.of()).get("state")));

    // robot-pc, logged in with its own password, tries spectro-pc's topics
    BrokerClient intruder = client("robot-pc", "robot-secret", List.of(), (t, m) -> {});
    intruder.connect(Duration.ofSeconds(5));
    for (String topic : List.of(spectro.status(), spectro.request(), spectro.reply("x"))) {
      ExecutionException e =
          assertThrows(
              ExecutionException.class,
              () ->
                  intruder.publish(topic, "{\"state\":\"offline\"}", true).get(5, TimeUnit.SECONDS),
              topic);
      String m = e.getCause().getMessage();
      assertTrue(m.contains("'" + topic + "'"), m);
      assertTrue(m.contains("reason code 0x87, not authorized"), m);
      assertTrue(m.contains(broker()), m);
    }
    // its own status is allowed; published after the refused ones, it reaches the daemon after
    // them, so once it is there the forged "offline" would have been there too
    intruder.publish(robot.status(), "{\"state\":\"online\"}", true).get(5, TimeUnit.SECONDS);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> "online".equals(status.getOrDefault("robot-pc", Map.of()).get("state")));
    assertEquals("online", status.get("spectro-pc").get("state"), "the forged status was dropped");

    // reading another agent's requests: Mosquitto grants the subscription but delivers nothing
    // the access list does not let the user read. The daemon sends a request to spectro-pc, then
    // one to robot-pc: robot-pc gets its own, and spectro-pc's (sent before it) never came.
    List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
    BrokerClient reader =
        client(
            "robot-pc",
            "robot-secret",
            List.of(spectro.request(), robot.request()),
            (t, m) -> heard.add(t));
    reader.connect(Duration.ofSeconds(5));
    daemon.publish(spectro.request(), "{\"op\":\"read\"}", false).get(5, TimeUnit.SECONDS);
    daemon.publish(robot.request(), "{\"op\":\"read\"}", false).get(5, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(5)).until(() -> heard.contains(robot.request()));
    assertEquals(List.of(robot.request()), heard, "robot-pc reads only its own requests");
  }

  private BrokerClient client(
      String user,
      String password,
      List<String> topics,
      java.util.function.BiConsumer<String, MqttMessage> messages) {
    BrokerSettings s =
        BrokerSettings.plain(broker()).withUser(Optional.of(user), Optional.of(password));
    BrokerClient c =
        new BrokerClient(
            s,
            "test-" + user + "-" + clients.size(),
            user,
            Optional.empty(),
            topics,
            messages::accept);
    clients.add(c);
    return c;
  }

  private String broker() {
    return "tcp://127.0.0.1:" + port;
  }

  /**
   * The documented configuration with this test's listener and files: the listener on the loopback
   * and a free port, the password file in the test's folder, the repository's access list as it is.
   */
  private String testConf(Path documented, Path acl, Path passwords) throws IOException {
    StringBuilder out = new StringBuilder();
    boolean listener = false, passwordFile = false, aclFile = false;
    for (String line : Files.readAllLines(documented, StandardCharsets.UTF_8)) {
      if (line.startsWith("listener 1883")) {
        line = "listener " + port + " 127.0.0.1";
        listener = true;
      } else if (line.startsWith("password_file ")) {
        line = "password_file " + passwords;
        passwordFile = true;
      } else if (line.startsWith("acl_file ")) {
        line = "acl_file " + acl.toAbsolutePath();
        aclFile = true;
      }
      out.append(line).append('\n');
    }
    assertTrue(listener && passwordFile && aclFile, documented + " lost a documented line");
    // run as this test's user (as root, mosquitto would switch to the user "mosquitto")
    out.append("user ").append(System.getProperty("user.name")).append('\n');
    return out.toString();
  }

  /** One instrument per agent; the serial ports do not exist, the agents keep trying them. */
  private Path writeLab() throws IOException {
    Path lab = dir.resolve("lab.yaml");
    Files.writeString(
        lab,
        """
        lab: mosquitto-lab
        agents:
          broker: %2$s
          username: labloop-daemon
          password: "${LABLOOP_BROKER_PASSWORD:-}"
        instruments:
          spectrometer:
            agent: spectro-pc
            driver: serial
            port: %1$s/no-such-port-1
            baud: 115200
            commands:
              measure:
                send: "MEAS {sampleId}"
                expect: '^OK peak=(?<peak>[0-9.]+)$'
                timeout: 5s
                idempotent: false
          robot:
            agent: robot-pc
            driver: serial
            port: %1$s/no-such-port-2
            baud: 115200
            commands:
              move:
                send: "MOVE {to}"
                expect: '^OK$'
                timeout: 5s
        """
            .formatted(dir.toAbsolutePath(), broker()));
    return lab;
  }
}
