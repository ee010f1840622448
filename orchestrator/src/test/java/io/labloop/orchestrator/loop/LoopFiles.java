package io.labloop.orchestrator.loop;

import io.labloop.simulators.VirtualLab;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The integration tests' lab and campaign (test resources {@code loop/}), written into a test's
 * folder with its own values: the pty path lives in that folder and OPC UA / MQTT take free ports,
 * so tests never collide.
 */
public final class LoopFiles {

  private final Map<String, String> values = new LinkedHashMap<>();
  private final Path dir;

  public LoopFiles(Path dir) {
    this.dir = dir;
    values.put("LOOP_DIR", dir.toAbsolutePath().toString());
    values.put("BUDGET", "30");
    values.put("ON_INTERRUPT", "fail");
    values.put("TIME_SCALE", "0.0002");
    values.put("ROBOT_PORT", "0");
    values.put("MQTT_PORT", "0");
  }

  public LoopFiles set(String key, Object value) {
    values.put(key, String.valueOf(value));
    return this;
  }

  /** Writes lab.yaml only. */
  public Path writeLab() {
    return write("lab.yaml");
  }

  /** Writes lab.yaml and campaign.yaml; returns the campaign file. */
  public Path write() {
    write("lab.yaml");
    return write("campaign.yaml");
  }

  /**
   * Writes lab.yaml and starts its virtual lab in this JVM (work files under sim/), for runs in
   * other processes.
   */
  public VirtualLab startLab() {
    return VirtualLab.start(writeLab(), dir.resolve("sim"));
  }

  /**
   * Writes lab.yaml and campaign.yaml for runs in other processes against {@code lab}, the virtual
   * lab started from {@link #writeLab()}: the lab file names the ports it really took.
   */
  public Path writeFor(VirtualLab lab) {
    set("ROBOT_PORT", URI.create(lab.endpoint("robot").address()).getPort());
    set("MQTT_PORT", URI.create(lab.endpoint("xrd").address()).getPort());
    return write();
  }

  public Path dir() {
    return dir;
  }

  private Path write(String name) {
    try (InputStream in = LoopFiles.class.getResourceAsStream("/loop/" + name)) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      for (Map.Entry<String, String> v : values.entrySet())
        text = text.replace("{{" + v.getKey() + "}}", v.getValue());
      Path file = dir.resolve(name);
      Files.writeString(file, text, StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
