package io.labloop.orchestrator.console;

import io.labloop.orchestrator.api.ApiProblem;
import io.labloop.orchestrator.store.AttachmentRecord;
import io.labloop.orchestrator.store.ExperimentRecord;
import io.labloop.orchestrator.store.ExperimentStatus;
import io.labloop.orchestrator.store.RunRecord;
import io.labloop.orchestrator.store.StepRecord;
import io.labloop.orchestrator.store.Store;
import io.labloop.planners.Suggestion;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The console's reads of one campaign, shaped for the page: one page of the experiment table, the
 * plots' series down-sampled on the server, one experiment's steps and decision.
 *
 * <p>Every read works on a snapshot of the run (its experiments, one store query) that is shared by
 * every open page until something changes: the console counts the events of each campaign ({@link
 * #changed}) and a snapshot is reloaded only when that count moved, or after {@link #MAX_AGE} for a
 * run another process may be writing. So twenty browsers that all refresh after the same experiment
 * cost the store one read, not twenty, and the engine (which needs the store for every transition)
 * is not slowed by watchers.
 *
 * <p>Planner decisions are read only for the rows a page shows (and kept in the snapshot): opening
 * a 10,000-experiment campaign then reads 50 decisions, not 10,000, and the plots never need them.
 */
public final class CampaignData {
  /**
   * A snapshot older than this is read again even without an event (a run another process writes).
   */
  static final Duration MAX_AGE = Duration.ofSeconds(2);

  /** The most points a plot gets; more are thinned by {@link Downsampling}. */
  public static final int PLOT_LIMIT = 2000;

  private final Store store;
  private final LongSupplier clock;
  private final Map<String, AtomicLong> versions = new ConcurrentHashMap<>();
  private final Map<String, Object> locks = new ConcurrentHashMap<>();
  private final Map<String, Snapshot> snapshots = new ConcurrentHashMap<>();

  public CampaignData(Store store) {
    this(store, System::nanoTime);
  }

  CampaignData(Store store, LongSupplier nanoClock) {
    this.store = store;
    this.clock = nanoClock;
  }

  /** Something happened in this run (an event arrived): the next read loads it again. */
  public void changed(String campaignId) {
    if (campaignId != null)
      versions.computeIfAbsent(runId(campaignId), k -> new AtomicLong()).incrementAndGet();
  }

  /** The run's data as of now, shared by all pages until it changes. */
  public Snapshot snapshot(String campaignId) {
    String runId = runId(campaignId);
    long version = versions.computeIfAbsent(runId, k -> new AtomicLong()).get();
    Snapshot s = snapshots.get(runId);
    if (fresh(s, version)) return s;
    synchronized (locks.computeIfAbsent(runId, k -> new Object())) {
      s = snapshots.get(runId);
      version = versions.get(runId).get();
      if (fresh(s, version)) return s;
      RunRecord run =
          store.run(runId).orElseThrow(() -> ApiProblem.notFound("no campaign " + campaignId));
      CampaignOutline outline =
          CampaignOutline.parse(store.campaignText(run.campaignSha256()).orElse(""));
      s = new Snapshot(this, run, outline, store.experiments(runId), version, clock.getAsLong());
      snapshots.put(runId, s);
      return s;
    }
  }

  /**
   * A snapshot is good while no event came for its run; one of a run that has not ended is read
   * again after {@link #MAX_AGE} in any case, because another process ({@code labloop run}) may be
   * writing it. An ended run changes only through this daemon (a release), which sends an event.
   */
  private boolean fresh(Snapshot s, long version) {
    return s != null
        && s.version == version
        && (s.run.endedAt().isPresent() || clock.getAsLong() - s.loadedAt < MAX_AGE.toNanos());
  }

  static String runId(String campaignId) {
    return campaignId.replace('~', '/');
  }

  static String id(String runId) {
    return runId.replace('/', '~');
  }

  /** One experiment row of the table. */
  public record Row(
      int seq,
      String status,
      Map<String, Object> requested,
      Map<String, Object> achieved,
      Map<String, Double> objectives,
      String cause,
      String plannedAt,
      String startedAt,
      String endedAt,
      Integer retryOf,
      Decision decision) {}

  /** Why the planner chose a point. */
  public record Decision(
      String planner,
      String reason,
      Double acquisition,
      Map<String, Double> predictedMean,
      Map<String, Double> predictedSd,
      Map<String, Double> details) {
    static Decision of(Suggestion s) {
      if (s == null) return null;
      return new Decision(
          s.planner(),
          s.reason(),
          Double.isNaN(s.acquisition()) ? null : s.acquisition(),
          s.predictedMean(),
          s.predictedSd(),
          s.details());
    }
  }

  /** One page of the table, and how many rows match. */
  public record Page(int total, int matching, int offset, List<Row> rows) {}

  /** One step attempt of an experiment, with its raw files. */
  public record Step(
      int stepIndex,
      int attempt,
      String stepId,
      String instrument,
      String command,
      Map<String, Object> arguments,
      String status,
      Map<String, Object> outputs,
      String startedAt,
      String endedAt,
      Double seconds,
      String errorKind,
      String error,
      List<Attachment> attachments) {}

  /** A raw file kept with a step; {@code href} downloads it. */
  public record Attachment(
      String name, String mediaType, String sha256, long sizeBytes, String href) {}

  /** One experiment opened: the row, its steps, and the planner's decision. */
  public record Detail(Row experiment, List<Step> steps) {}

  /**
   * What the plots draw.
   *
   * @param total finished experiments with values (DONE)
   * @param shown how many of them {@code seqs} holds after down-sampling
   * @param seqs the experiments shown, ascending
   * @param objectives per objective, its value for each of {@code seqs}
   * @param parameters per parameter, its (achieved, else requested) value for each of {@code seqs}
   * @param best per objective, the best-so-far steps over all experiments (not down-sampled)
   * @param failures FAILED, INTERRUPTED and HELD experiments (the newest {@link #PLOT_LIMIT})
   * @param pareto for exactly two objectives, the front over all experiments: [seq, a, b]
   */
  public record Series(
      CampaignOutline outline,
      int total,
      int shown,
      List<Integer> seqs,
      Map<String, List<Double>> objectives,
      Map<String, List<Object>> parameters,
      Map<String, List<double[]>> best,
      List<Failure> failures,
      List<double[]> pareto) {}

  /** An experiment that gave no values, and why. */
  public record Failure(int seq, String status, String cause) {}

  /** The run as read at one moment. */
  public static final class Snapshot {
    private final CampaignData owner;
    public final RunRecord run;
    public final CampaignOutline outline;
    public final List<ExperimentRecord> experiments;

    /** The decisions read so far, by experiment; see {@link #decisions(Collection)}. */
    private final Map<Integer, Suggestion> decisions = new ConcurrentHashMap<>();

    private volatile boolean allDecisions;
    final long version;
    final long loadedAt;
    private volatile Series series;
    private volatile io.labloop.orchestrator.api.CampaignView endedView;
    private volatile List<StepRecord> steps;
    private volatile List<AttachmentRecord> attachments;

    Snapshot(
        CampaignData owner,
        RunRecord run,
        CampaignOutline outline,
        List<ExperimentRecord> experiments,
        long version,
        long loadedAt) {
      this.owner = owner;
      this.run = run;
      this.outline = outline;
      this.experiments = experiments;
      this.version = version;
      this.loadedAt = loadedAt;
    }

    public String id() {
      return CampaignData.id(run.id());
    }

    /** The objective names: the file's, else those found in the values. */
    public List<String> objectiveNames() {
      Set<String> names = new LinkedHashSet<>();
      outline.objectives().forEach(g -> names.add(g.name()));
      if (names.isEmpty()) experiments.forEach(x -> names.addAll(x.values().keySet()));
      return List.copyOf(names);
    }

    public List<String> parameterNames() {
      Set<String> names = new LinkedHashSet<>(outline.parameters().keySet());
      if (names.isEmpty()) experiments.forEach(x -> names.addAll(x.requested().values().keySet()));
      return List.copyOf(names);
    }

    /** Every decision of the run (the report shows them all), read once. */
    public Map<Integer, Suggestion> decisions() {
      if (!allDecisions) {
        decisions.putAll(owner.store.decisions(run.id()));
        allDecisions = true;
      }
      return decisions;
    }

    /** The decisions of these experiments, read from the store the first time they are asked. */
    private Map<Integer, Suggestion> decisions(Collection<ExperimentRecord> rows) {
      List<Integer> missing = new ArrayList<>();
      for (ExperimentRecord x : rows) if (!decisions.containsKey(x.seq())) missing.add(x.seq());
      if (!missing.isEmpty() && !allDecisions)
        decisions.putAll(owner.store.decisions(run.id(), missing));
      return decisions;
    }

    public Row row(ExperimentRecord x) {
      return row(x, decisions(List.of(x)));
    }

    private Row row(ExperimentRecord x, Map<Integer, Suggestion> decisions) {
      return new Row(
          x.seq(),
          status(x.status()),
          x.requested().values(),
          x.achieved().map(p -> p.values()).orElse(null),
          x.values().isEmpty() ? null : x.values(),
          x.cause().orElse(null),
          x.plannedAt().toString(),
          x.startedAt().map(Instant::toString).orElse(null),
          x.endedAt().map(Instant::toString).orElse(null),
          x.retryOf().isPresent() ? x.retryOf().getAsInt() : null,
          Decision.of(decisions.get(x.seq())));
    }

    /**
     * One page of the table.
     *
     * @param statuses show only these (as the API names them: DONE, FAILED, WAITING_APPROVAL ...);
     *     empty for all
     * @param sort {@code seq}, {@code -seq}, {@code status}, {@code objective:NAME} (best first) or
     *     {@code -objective:NAME}
     */
    public Page page(int offset, int limit, Set<String> statuses, String sort) {
      List<ExperimentRecord> matching =
          experiments.stream()
              .filter(x -> statuses.isEmpty() || statuses.contains(status(x.status())))
              .toList();
      Comparator<ExperimentRecord> order = order(sort == null ? "-seq" : sort);
      List<ExperimentRecord> sorted = new ArrayList<>(matching);
      sorted.sort(order);
      int from = Math.max(0, Math.min(offset, sorted.size()));
      int to = Math.min(sorted.size(), from + Math.max(1, Math.min(limit, 500)));
      List<ExperimentRecord> shown = sorted.subList(from, to);
      Map<Integer, Suggestion> known = decisions(shown);
      return new Page(
          experiments.size(),
          matching.size(),
          from,
          shown.stream().map(x -> row(x, known)).toList());
    }

    private Comparator<ExperimentRecord> order(String sort) {
      boolean desc = sort.startsWith("-");
      String key = desc ? sort.substring(1) : sort;
      Comparator<ExperimentRecord> c;
      if (key.startsWith("objective:")) {
        CampaignOutline.Goal g = outline.goal(key.substring("objective:".length()));
        // Experiments without the value go last either way.
        Comparator<ExperimentRecord> byLoss =
            Comparator.comparingDouble(
                x -> {
                  Double v = x.values().get(g.name());
                  return v == null || v.isNaN() ? Double.POSITIVE_INFINITY : g.loss(v);
                });
        Comparator<ExperimentRecord> missingLast =
            Comparator.comparing(x -> !x.values().containsKey(g.name()));
        return missingLast
            .thenComparing(desc ? byLoss.reversed() : byLoss)
            .thenComparingInt(ExperimentRecord::seq);
      } else if (key.equals("status")) {
        c =
            Comparator.comparing((ExperimentRecord x) -> x.status().name())
                .thenComparingInt(ExperimentRecord::seq);
      } else {
        c = Comparator.comparingInt(ExperimentRecord::seq);
      }
      return desc ? c.reversed() : c;
    }

    /** One experiment with its steps and raw files. */
    public Detail detail(int seq) {
      ExperimentRecord x =
          experiments.stream()
              .filter(e -> e.seq() == seq)
              .findFirst()
              .orElseThrow(() -> ApiProblem.notFound("no experiment #" + seq + " in " + id()));
      List<StepRecord> all = steps();
      List<AttachmentRecord> files = attachments();
      List<Step> out = new ArrayList<>();
      for (StepRecord s : all) {
        if (s.seq() != seq) continue;
        List<Attachment> mine =
            files.stream()
                .filter(
                    a ->
                        a.seq() == seq
                            && a.stepIndex() == s.stepIndex()
                            && a.attempt() == s.attempt())
                .map(
                    a ->
                        new Attachment(
                            a.name(),
                            a.mediaType(),
                            a.sha256(),
                            a.sizeBytes(),
                            "/console/api/campaigns/"
                                + id()
                                + "/attachments/"
                                + a.sha256()
                                + "?name="
                                + a.name()))
                .toList();
        Double seconds =
            s.startedAt().isPresent() && s.endedAt().isPresent()
                ? Duration.between(s.startedAt().get(), s.endedAt().get()).toMillis() / 1000.0
                : null;
        out.add(
            new Step(
                s.stepIndex(),
                s.attempt(),
                s.stepId(),
                s.instrument(),
                s.command(),
                s.arguments(),
                s.status().name(),
                s.outputs(),
                s.startedAt().map(Instant::toString).orElse(null),
                s.endedAt().map(Instant::toString).orElse(null),
                seconds,
                s.errorKind().orElse(null),
                s.error().orElse(null),
                mine));
      }
      return new Detail(row(x), out);
    }

    /** An attachment of this run by its hash, if the run has one. */
    public Optional<AttachmentRecord> attachment(String sha256) {
      return attachments().stream().filter(a -> a.sha256().equals(sha256)).findFirst();
    }

    private List<StepRecord> steps() {
      List<StepRecord> s = steps;
      if (s == null) steps = s = owner.store.steps(run.id());
      return s;
    }

    private List<AttachmentRecord> attachments() {
      List<AttachmentRecord> a = attachments;
      if (a == null) attachments = a = owner.store.attachments(run.id());
      return a;
    }

    /**
     * The campaign as the API shows it: asked of {@code service} each time while the run goes on
     * (the engine answers from memory), once per snapshot for an ended run (whose view the service
     * would build from every stored experiment on each call).
     */
    public io.labloop.orchestrator.api.CampaignView view(
        java.util.function.Supplier<io.labloop.orchestrator.api.CampaignView> service) {
      if (run.endedAt().isEmpty()) return service.get();
      io.labloop.orchestrator.api.CampaignView v = endedView;
      if (v == null) endedView = v = service.get();
      return v;
    }

    /** The plots' data, computed once per snapshot. */
    public Series series() {
      Series s = series;
      if (s == null) series = s = computeSeries(PLOT_LIMIT);
      return s;
    }

    /** The plots' data with every experiment (for the report), or down-sampled to {@code limit}. */
    public Series computeSeries(int limit) {
      List<String> objectives = objectiveNames();
      List<String> parameters = parameterNames();
      List<ExperimentRecord> done =
          experiments.stream()
              .filter(x -> x.status() == ExperimentStatus.DONE && !x.values().isEmpty())
              .toList();
      Set<Integer> keep = new LinkedHashSet<>();
      Map<String, List<double[]>> best = new LinkedHashMap<>();
      Map<Integer, Integer> indexOfSeq = new java.util.HashMap<>();
      for (int i = 0; i < done.size(); i++) indexOfSeq.put(done.get(i).seq(), i);
      for (String o : objectives) {
        List<Progression.At> values =
            done.stream()
                .map(x -> new Progression.At(x.seq(), x.values().getOrDefault(o, Double.NaN)))
                .toList();
        List<Progression.At> steps = Progression.bestSoFar(values, outline.goal(o));
        steps.forEach(a -> keep.add(indexOfSeq.get(a.seq())));
        best.put(o, steps.stream().map(a -> new double[] {a.seq(), a.value()}).toList());
      }
      List<double[]> pareto = List.of();
      if (objectives.size() == 2) {
        String a = objectives.get(0);
        String b = objectives.get(1);
        List<Progression.Pair> pairs =
            done.stream()
                .map(
                    x ->
                        new Progression.Pair(
                            x.seq(),
                            x.values().getOrDefault(a, Double.NaN),
                            x.values().getOrDefault(b, Double.NaN)))
                .toList();
        List<Progression.Pair> front =
            Progression.paretoFront(pairs, outline.goal(a), outline.goal(b));
        front.forEach(p -> keep.add(indexOfSeq.get(p.seq())));
        pareto = front.stream().map(p -> new double[] {p.seq(), p.a(), p.b()}).toList();
      }
      int[] chosen = Downsampling.choose(done.size(), limit, List.copyOf(keep));
      List<Integer> seqs = new ArrayList<>(chosen.length);
      Map<String, List<Double>> objectiveColumns = new LinkedHashMap<>();
      objectives.forEach(o -> objectiveColumns.put(o, new ArrayList<>(chosen.length)));
      Map<String, List<Object>> parameterColumns = new LinkedHashMap<>();
      parameters.forEach(p -> parameterColumns.put(p, new ArrayList<>(chosen.length)));
      for (int i : chosen) {
        ExperimentRecord x = done.get(i);
        seqs.add(x.seq());
        objectives.forEach(o -> objectiveColumns.get(o).add(x.values().get(o)));
        Map<String, Object> at = x.achieved().orElse(x.requested()).values();
        parameters.forEach(
            p -> parameterColumns.get(p).add(at.getOrDefault(p, x.requested().values().get(p))));
      }
      List<Failure> failures =
          experiments.stream()
              .filter(
                  x ->
                      x.status() == ExperimentStatus.FAILED
                          || x.status() == ExperimentStatus.INTERRUPTED
                          || x.status() == ExperimentStatus.HELD)
              .map(x -> new Failure(x.seq(), x.status().name(), x.cause().orElse("")))
              .toList();
      if (failures.size() > limit)
        failures = failures.subList(failures.size() - limit, failures.size());
      return new Series(
          outline,
          done.size(),
          seqs.size(),
          seqs,
          objectiveColumns,
          parameterColumns,
          best,
          failures,
          pareto);
    }
  }

  /**
   * The status as the JSON API names it (the store's AWAITING_APPROVAL is the API's
   * WAITING_APPROVAL).
   */
  static String status(ExperimentStatus s) {
    return s == ExperimentStatus.AWAITING_APPROVAL ? "WAITING_APPROVAL" : s.name();
  }

  static Set<String> statuses(String csv) {
    if (csv == null || csv.isBlank()) return Set.of();
    Set<String> out = new LinkedHashSet<>();
    for (String s : csv.split(",")) if (!s.isBlank()) out.add(s.strip().toUpperCase(Locale.ROOT));
    return out;
  }
}
