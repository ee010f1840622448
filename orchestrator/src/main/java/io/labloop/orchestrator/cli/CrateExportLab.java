package io.labloop.orchestrator.cli;

import io.labloop.orchestrator.config.ConfigException;
import io.labloop.orchestrator.config.ConfigLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the lab file text for {@code labloop export --format ro-crate}: {@code --lab FILE} if
 * given, else the lab the campaign file names (when CAMPAIGN is a file that still loads), else
 * none.
 */
final class CrateExportLab {

  private CrateExportLab() {}

  static Optional<String> text(String campaign, Path lab) {
    if (lab != null) return Optional.of(read(lab));
    Path p = Path.of(campaign);
    if (!Files.isRegularFile(p)) return Optional.empty();
    try {
      return Optional.of(read(ConfigLoader.standard().loadCampaign(p).lab().file()));
    } catch (ConfigException e) {
      return Optional.empty();
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UserError("cannot read the lab file " + p + ": " + e.getMessage());
    }
  }
}
