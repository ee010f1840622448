package io.labloop.simulators.world;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The samples that exist in the virtual lab. A synthesizer adds one; measurers look it up by id.
 *
 * <p>Samples are physical things: they outlive the computer that made them. Each new sample is
 * appended to {@code samples.jsonl} in the work folder before its id is handed out, and a world
 * started on the same folder knows them again, so a campaign whose process was killed can still
 * measure what was made before the crash, and instruments played by separate processes on one
 * folder measure what the others made (an unknown id makes the file be read again).
 */
public final class VirtualWorld {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final WorldModel model;
  private final Path file;
  private final Map<String, Sample> samples = new ConcurrentHashMap<>();
  private int counter;

  /**
   * @param model the response model
   * @param workDir where {@code samples.jsonl} is kept (created if missing)
   */
  public VirtualWorld(WorldModel model, Path workDir) {
    this.model = model;
    this.file = workDir.resolve("samples.jsonl");
    load();
  }

  public WorldModel model() {
    return model;
  }

  /**
   * Makes a sample under the given conditions.
   *
   * @throws IllegalArgumentException when the conditions are not ones the world can make
   */
  public synchronized Sample synthesize(Map<String, Object> conditions) {
    Map<String, Double> truth = model.evaluate(conditions);
    counter++;
    String id = String.format("S-%05d", counter);
    Sample sample = new Sample(id, conditions, truth);
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("id", id);
    line.put("conditions", conditions);
    line.put("truth", truth);
    try {
      Files.writeString(
          file,
          JSON.writeValueAsString(line) + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record sample in " + file, e);
    }
    samples.put(id, sample);
    return sample;
  }

  /** The sample with this id, if the world has it. */
  public Optional<Sample> sample(String id) {
    String key = id == null ? "" : id.trim();
    Sample known = samples.get(key);
    if (known == null && !key.isEmpty()) {
      // Another process of the same lab (a `labloop sim` per instrument, on one work folder) may
      // have made it since: read the samples file again before saying no.
      synchronized (this) {
        load();
      }
      known = samples.get(key);
    }
    return Optional.ofNullable(known);
  }

  private void load() {
    if (!Files.exists(file)) {
      return;
    }
    try {
      for (String text : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (text.isBlank()) {
          continue;
        }
        Map<String, Object> line;
        try {
          line = JSON.readValue(text, new TypeReference<Map<String, Object>>() {});
        } catch (IOException e) {
          continue; // a line torn by a crash mid-write: that sample's id was never handed out
        }
        String id = String.valueOf(line.get("id"));
        @SuppressWarnings("unchecked")
        Map<String, Object> conditions = (Map<String, Object>) line.get("conditions");
        @SuppressWarnings("unchecked")
        Map<String, Number> truth = (Map<String, Number>) line.get("truth");
        Map<String, Double> values = new LinkedHashMap<>();
        truth.forEach((k, v) -> values.put(k, v.doubleValue()));
        samples.put(id, new Sample(id, conditions, values));
        counter = Math.max(counter, Integer.parseInt(id.substring(2)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read samples from " + file, e);
    }
  }
}
