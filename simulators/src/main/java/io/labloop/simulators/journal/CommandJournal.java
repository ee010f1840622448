package io.labloop.simulators.journal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The received commands of all instruments of one virtual lab, as JSON lines in {@code
 * journal/<instrument>.jsonl} under the work folder. Every read goes to the files, so a second
 * process (or a lab restarted on the same folder) sees what the first one received.
 */
public final class CommandJournal {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path folder;

  public CommandJournal(Path workDir) {
    this.folder = workDir.resolve("journal");
    try {
      Files.createDirectories(folder);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + folder, e);
    }
  }

  /** Appends one received command; called before the instrument acts on it. */
  public synchronized void record(
      String instrument, String command, Map<String, Object> arguments) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("at", Instant.now().toString());
    line.put("command", command);
    line.put("arguments", arguments);
    try {
      Files.writeString(
          file(instrument),
          JSON.writeValueAsString(line) + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write journal of " + instrument, e);
    }
  }

  /** Every command the instrument received, oldest first. */
  public synchronized List<ReceivedCommand> entries(String instrument) {
    Path file = file(instrument);
    List<ReceivedCommand> out = new ArrayList<>();
    if (!Files.exists(file)) {
      return out;
    }
    try {
      for (String text : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (text.isBlank()) {
          continue;
        }
        try {
          Map<String, Object> line =
              JSON.readValue(text, new TypeReference<Map<String, Object>>() {});
          @SuppressWarnings("unchecked")
          Map<String, Object> args = (Map<String, Object>) line.getOrDefault("arguments", Map.of());
          Map<String, Object> clean = new LinkedHashMap<>();
          args.forEach((k, v) -> clean.put(k, v == null ? "" : v));
          out.add(
              new ReceivedCommand(
                  Instant.parse(String.valueOf(line.get("at"))),
                  String.valueOf(line.get("command")),
                  clean));
        } catch (IOException e) {
          // a line torn by a killed process: the command had not been acted on yet
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read journal of " + instrument, e);
    }
    return out;
  }

  /** How many times {@code command} reached {@code instrument}. */
  public long count(String instrument, String command) {
    return entries(instrument).stream().filter(c -> c.command().equals(command)).count();
  }

  public Path file(String instrument) {
    return folder.resolve(instrument + ".jsonl");
  }
}
