package io.labloop.orchestrator.agent;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the tests against Debian's Mosquitto 2 share: where its programs are, the repository's
 * documented configuration ({@code config/mosquitto}), its password tool and whether the broker
 * accepts connections yet.
 */
final class Mosquitto {

  static final Path BROKER = Path.of("/usr/sbin/mosquitto");
  static final Path PASSWD = Path.of("/usr/bin/mosquitto_passwd");

  private Mosquitto() {}

  /** Both programs are there ({@code .ci/run} installs them). */
  static boolean installed() {
    return Files.isExecutable(BROKER) && Files.isExecutable(PASSWD);
  }

  /** The repository's {@code config/mosquitto}, found from the working folder upwards. */
  static Path configDir() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path c = d.resolve("config/mosquitto");
      if (Files.isRegularFile(c.resolve("acl"))) return c;
    }
    throw new AssertionError("config/mosquitto not found above " + Path.of("").toAbsolutePath());
  }

  /** Runs {@code mosquitto_passwd} with these arguments; fails the test if it does not succeed. */
  static void passwd(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(PASSWD.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, "mosquitto_passwd: " + out);
  }

  /** Something listens on the loopback at {@code port}. */
  static boolean accepting(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
