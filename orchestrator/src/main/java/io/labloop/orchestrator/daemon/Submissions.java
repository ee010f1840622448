package io.labloop.orchestrator.daemon;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.labloop.orchestrator.store.RunId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The submissions folder, {@code DATA/campaigns/}: the text of every campaign submitted to the
 * daemon ({@code NAME.yaml}) and what the daemon remembers of it ({@code NAME.json}, a {@link
 * Submission}). It is what the daemon resumes from at start: a campaign that has not started waits
 * for its schedule; the others resume their latest run if it is RUNNING.
 *
 * <p>A record is replaced atomically (written beside, then moved over), so a crash leaves the old
 * record or the new one. An unreadable record is skipped with a warning, not fatal: one bad file
 * must not keep the daemon's other campaigns from resuming. File names are the campaign name with
 * anything but letters, digits, {@code . _ -} replaced by {@code _}.
 */
final class Submissions {
  private static final Logger log = LoggerFactory.getLogger(Submissions.class);

  /** What the daemon remembers of a submitted campaign ({@code DATA/campaigns/NAME.json}). */
  record Submission(
      String name,
      String fileName,
      String sha256,
      String submittedAt,
      String submittedBy,
      String schedule,
      boolean started) {
    /** The same submission, now started (by its schedule). */
    Submission asStarted() {
      return new Submission(name, fileName, sha256, submittedAt, submittedBy, schedule, true);
    }
  }

  private final Path folder;
  private final ObjectMapper json =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  Submissions(Path folder) {
    this.folder = folder;
  }

  /**
   * Records the submission, and its text unless {@code yaml} is null (an update of the record
   * only).
   */
  void remember(Submission s, String yaml) {
    try {
      Files.createDirectories(folder);
      if (yaml != null) Files.writeString(yamlFile(s.name()), yaml, StandardCharsets.UTF_8);
      Path tmp = folder.resolve(safe(s.name()) + ".json.tmp");
      json.writeValue(tmp.toFile(), s);
      Files.move(
          tmp,
          folder.resolve(safe(s.name()) + ".json"),
          StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record the submission of " + s.name(), e);
    }
  }

  /** Forgets a submission (its planned start was cancelled); its text stays. */
  void forget(Submission s) {
    try {
      Files.deleteIfExists(folder.resolve(safe(s.name()) + ".json"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every submission on disk, by file name. */
  List<Submission> all() {
    if (!Files.isDirectory(folder)) return List.of();
    List<Submission> out = new ArrayList<>();
    try (var files = Files.list(folder)) {
      for (Path p :
          files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList()) {
        try {
          out.add(json.readValue(p.toFile(), Submission.class));
        } catch (IOException e) {
          log.warn("ignoring unreadable submission record {}: {}", p, e.getMessage());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** The submission of campaign {@code name}, started or not. */
  Optional<Submission> named(String name) {
    return all().stream().filter(s -> s.name().equals(name)).findFirst();
  }

  /** The campaign an API id names if it is still waiting for its schedule (it has no run yet). */
  Optional<Submission> waiting(String id) {
    if (RunId.fromApi(id).isPresent()) return Optional.empty();
    return all().stream().filter(s -> s.name().equals(id) && !s.started()).findFirst();
  }

  /** The campaign text as submitted. */
  String text(Submission s) throws IOException {
    return Files.readString(yamlFile(s.name()), StandardCharsets.UTF_8);
  }

  private Path yamlFile(String name) {
    return folder.resolve(safe(name) + ".yaml");
  }

  private static String safe(String name) {
    return io.labloop.orchestrator.config.CampaignName.fileName(name);
  }
}
