package io.labloop.orchestrator.config;

import io.labloop.common.FileNames;
import io.labloop.drivers.Drivers;
import io.labloop.orchestrator.config.YamlNode.MapNode;
import io.labloop.orchestrator.config.YamlNode.Scalar;
import io.labloop.settings.Spelling;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads lab and campaign files into checked records, or reports every problem in them.
 *
 * <pre>{@code
 * ConfigLoader loader = ConfigLoader.standard();            // System.getenv(), built-in drivers
 * CampaignConfig c = loader.loadCampaign(Path.of("config/campaigns/silver-nanoparticles.yaml"));
 * List<ConfigProblem> problems = loader.validate(path);      // lab or campaign, by its top key
 * }</pre>
 *
 * Files are at most {@link YamlText#MAX_BYTES}; {@code ${NAME}} and {@code ${NAME:-default}} in any
 * string are filled from the environment given to the builder. A campaign's {@code lab:} path is
 * relative to the campaign file. Problems are reported with the file name as the caller gave it
 * (relative paths stay relative), so messages match what the user typed.
 */
public final class ConfigLoader {

  /** What a file is, from its top-level key. */
  public enum Kind {
    LAB,
    CAMPAIGN
  }

  private final Environment environment;
  private final Drivers drivers;

  private ConfigLoader(Map<String, String> environment, Drivers drivers) {
    this.environment = new Environment(environment);
    this.drivers = drivers;
  }

  /** The process environment and every driver on the class path. */
  public static ConfigLoader standard() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Options for a loader; every one has a default. */
  public static final class Builder {
    private Map<String, String> environment = System.getenv();
    private Drivers drivers;

    private Builder() {}

    /** The variables {@code ${NAME}} is filled from (default: the process environment). */
    public Builder environment(Map<String, String> environment) {
      this.environment = Map.copyOf(environment);
      return this;
    }

    /** The drivers that check their instruments' sections (default: {@link Drivers#standard()}). */
    public Builder drivers(Drivers drivers) {
      this.drivers = drivers;
      return this;
    }

    public ConfigLoader build() {
      return new ConfigLoader(environment, drivers != null ? drivers : Drivers.standard());
    }
  }

  // ---- loading ----

  /**
   * @throws ConfigException with every problem if the lab file cannot be used
   */
  public LabConfig loadLab(Path file) {
    List<ConfigProblem> problems = new ArrayList<>();
    Report report = new Report(file.toString(), problems);
    Optional<LabConfig> lab =
        YamlText.readFile(file, report).flatMap(text -> lab(file, text, report));
    return orThrow(lab, problems);
  }

  /**
   * A lab from text that did not come from a file (YAML sent to the daemon).
   *
   * @param displayName the name used in problems, e.g. {@code lab.yaml (upload)}
   * @param baseDir where relative paths in it (a simulation dataset) are resolved
   */
  public LabConfig loadLab(String displayName, String text, Path baseDir) {
    List<ConfigProblem> problems = new ArrayList<>();
    Report report = new Report(displayName, problems);
    Path file = baseDir.resolve(safeFileName(displayName));
    return orThrow(YamlText.checkText(text, report).flatMap(t -> lab(file, t, report)), problems);
  }

  /**
   * @throws ConfigException with every problem in the campaign, its lab and its candidate file
   */
  public CampaignConfig loadCampaign(Path file) {
    return loadCampaign(file, Optional.empty());
  }

  /**
   * A campaign on another lab than its {@code lab:} names (e.g. the virtual twin of a real lab).
   */
  public CampaignConfig loadCampaign(Path file, Optional<Path> labOverride) {
    List<ConfigProblem> problems = new ArrayList<>();
    Report report = new Report(file.toString(), problems);
    Optional<CampaignConfig> c =
        YamlText.readFile(file, report)
            .flatMap(text -> campaign(file, text, labOverride, report, problems));
    return orThrow(c, problems);
  }

  /**
   * A campaign from text (YAML POSTed to the daemon); its {@code lab:} is resolved against {@code
   * baseDir}.
   */
  public CampaignConfig loadCampaign(
      String displayName, String text, Path baseDir, Optional<Path> labOverride) {
    List<ConfigProblem> problems = new ArrayList<>();
    Report report = new Report(displayName, problems);
    Path file = baseDir.resolve(safeFileName(displayName));
    return orThrow(
        YamlText.checkText(text, report)
            .flatMap(t -> campaign(file, t, labOverride, report, problems)),
        problems);
  }

  // ---- validation ----

  /**
   * Every problem in a lab or campaign file (told apart by {@code lab:} / {@code campaign:}); empty
   * if it is fine.
   */
  public List<ConfigProblem> validate(Path file) {
    List<ConfigProblem> problems = new ArrayList<>();
    Report report = new Report(file.toString(), problems);
    YamlText.readFile(file, report).ifPresent(text -> validateText(file, text, report, problems));
    return sorted(problems);
  }

  /** Like {@link #validate(Path)} for text that did not come from a file. */
  public List<ConfigProblem> validate(String displayName, String text, Path baseDir) {
    List<ConfigProblem> problems = new ArrayList<>();
    Report report = new Report(displayName, problems);
    YamlText.checkText(text, report)
        .ifPresent(
            t -> validateText(baseDir.resolve(safeFileName(displayName)), t, report, problems));
    return sorted(problems);
  }

  /** Which kind of file {@code root} is, or a problem at the top. */
  private static Optional<Kind> kind(YamlNode root, Report report) {
    if (root instanceof MapNode m) {
      if (m.has("lab") && !m.has("campaign")) return Optional.of(Kind.LAB);
      if (m.has("campaign")) return Optional.of(Kind.CAMPAIGN);
      List<String> keys = List.copyOf(m.entries().keySet());
      for (YamlNode.Entry e : m.entries().values()) {
        Optional<String> near = Spelling.closest(e.key(), List.of("lab", "campaign"));
        if (near.isPresent()) {
          report.error(
              e.keyPos(), "unknown key '" + e.key() + "' (did you mean '" + near.get() + "'?)");
          return Optional.empty();
        }
      }
      report.error(
          root,
          "neither 'lab:' nor 'campaign:' at the top (expected a lab file or a campaign file; found "
              + (keys.isEmpty() ? "no keys" : String.join(", ", keys))
              + ")");
      return Optional.empty();
    }
    report.error(
        root,
        "got "
            + root.describe()
            + " at the top (expected a map starting with 'lab:' or 'campaign:')");
    return Optional.empty();
  }

  private void validateText(Path file, String text, Report report, List<ConfigProblem> problems) {
    YamlText yaml = new YamlText(environment);
    Optional<YamlNode> root = yaml.parse(text, report);
    if (root.isEmpty()) return;
    Optional<Kind> kind = kind(root.get(), report);
    if (kind.isEmpty()) return;
    if (kind.get() == Kind.LAB) {
      new LabReader(drivers).read(file, root.get(), report);
    } else {
      campaignFromTree(file, text, root.get(), Optional.empty(), report, problems);
    }
  }

  // ---- the two readers ----

  private Optional<LabConfig> lab(Path file, String text, Report report) {
    return new YamlText(environment)
        .parse(text, report)
        .flatMap(root -> new LabReader(drivers).read(file, root, report));
  }

  private Optional<CampaignConfig> campaign(
      Path file,
      String text,
      Optional<Path> labOverride,
      Report report,
      List<ConfigProblem> problems) {
    return new YamlText(environment)
        .parse(text, report)
        .flatMap(root -> campaignFromTree(file, text, root, labOverride, report, problems));
  }

  private Optional<CampaignConfig> campaignFromTree(
      Path file,
      String text,
      YamlNode root,
      Optional<Path> labOverride,
      Report report,
      List<ConfigProblem> problems) {
    Optional<LabConfig> lab = Optional.empty();
    if (labOverride.isPresent()) {
      lab = labFile(labOverride.get(), problems);
    } else if (root instanceof MapNode m) {
      Optional<YamlNode> labNode = m.get("lab");
      if (labNode.isEmpty()) {
        report.error(
            root,
            "missing 'lab' (expected the lab file it runs on, relative to this file, e.g. lab: ../labs/sim-lab.yaml)");
      } else if (labNode.get() instanceof Scalar s && s.value() instanceof String name) {
        Path labPath = relative(file, name);
        if (!Files.isRegularFile(labPath)) {
          report.error(
              labNode.get(),
              "lab file '" + name + "' not found (expected a path relative to the campaign file)");
        } else {
          lab = labFile(labPath, problems);
        }
      } else {
        report.error(
            labNode.get(),
            "wrong type for 'lab': got "
                + labNode.get().describe()
                + " (expected the path of a lab file)");
      }
    }
    List<ConfigProblem> sink = problems;
    CampaignReader.Files files =
        new CampaignReader.Files() {
          @Override
          public Report report(Path f) {
            return new Report(displayed(file, f), sink);
          }

          @Override
          public Optional<String> read(Path f, Report r) {
            return YamlText.readFile(f, r);
          }
        };
    return new CampaignReader(files).read(file, text, root, lab, report);
  }

  private Optional<LabConfig> labFile(Path labPath, List<ConfigProblem> problems) {
    Report labReport = new Report(labPath.toString(), problems);
    return YamlText.readFile(labPath, labReport).flatMap(t -> lab(labPath, t, labReport));
  }

  /** A path named in {@code file}, relative to it, kept as relative as the user's own path. */
  private static Path relative(Path file, String name) {
    Path dir = file.getParent();
    return (dir == null ? Path.of(name) : dir.resolve(name)).normalize();
  }

  private static String displayed(Path campaign, Path other) {
    Path cwd = Path.of("").toAbsolutePath();
    Path abs = other.toAbsolutePath().normalize();
    return campaign.isAbsolute() || !abs.startsWith(cwd)
        ? abs.toString()
        : cwd.relativize(abs).toString();
  }

  private static String safeFileName(String displayName) {
    String n = FileNames.safe(displayName);
    return n.isEmpty() ? "upload.yaml" : n;
  }

  private static <T> T orThrow(Optional<T> value, List<ConfigProblem> problems) {
    if (!problems.isEmpty()) throw new ConfigException(sorted(problems));
    return value.orElseThrow(
        () -> new IllegalStateException("a config reader returned nothing without a problem"));
  }

  /**
   * In file order, one problem per position: the first found there is the cause (a missing
   * variable), later ones at the same place are its consequences (the driver then sees an empty
   * host).
   */
  private static List<ConfigProblem> sorted(List<ConfigProblem> problems) {
    Map<String, ConfigProblem> first = new java.util.LinkedHashMap<>();
    for (ConfigProblem p : problems)
      first.putIfAbsent(p.file() + ":" + p.line() + ":" + p.column(), p);
    List<ConfigProblem> out = new ArrayList<>(first.values());
    java.util.Collections.sort(
        out); // stable: problems at one line keep the order they were found in
    return out;
  }
}
