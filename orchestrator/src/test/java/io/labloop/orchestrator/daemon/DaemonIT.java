package io.labloop.orchestrator.daemon;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.labloop.orchestrator.api.ApiProblem;
import io.labloop.orchestrator.api.ApprovalView;
import io.labloop.orchestrator.api.CampaignView;
import io.labloop.orchestrator.api.EventView;
import io.labloop.orchestrator.api.ExperimentView;
import io.labloop.orchestrator.api.ReloadResult;
import io.labloop.orchestrator.client.ClientSettings;
import io.labloop.orchestrator.client.LabLoopClient;
import io.labloop.orchestrator.store.ExperimentStatus;
import io.labloop.orchestrator.store.RunLock;
import io.labloop.orchestrator.store.Store;
import io.labloop.orchestrator.store.StoreLocation;
import io.labloop.planners.Observation;
import io.labloop.planners.Point;
import io.labloop.planners.Suggestion;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A real daemon (in this JVM) on the virtual lab: OPC UA robot and serial spectrometer, real store,
 * real engine, real HTTP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DaemonIT {
  private final ObjectMapper json = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private Path dir;
  private Path labFile;
  private Daemon daemon;
  private LabLoopClient client;
  private String token;

  @BeforeAll
  void start() throws IOException {
    dir = Files.createTempDirectory("labloop-daemon-it");
    labFile = dir.resolve("lab.yaml");
    Files.writeString(labFile, resource("lab.yaml"));
    DaemonConfig defaults = DaemonConfig.defaults(labFile, dir.resolve("data"));
    DaemonConfig config =
        new DaemonConfig(
            labFile,
            dir,
            dir.resolve("data"),
            true,
            "127.0.0.1",
            0,
            64 * 1024,
            Optional.empty(),
            Map.of(),
            Optional.empty(),
            Duration.ofSeconds(5),
            List.of(),
            defaults.zone(),
            Duration.ofSeconds(20));
    daemon = Daemon.start(config, Map.of(), "it");
    token = Files.readString(dir.resolve("data/token")).strip();
    client = new LabLoopClient(ClientSettings.resolve(null, null, dir.resolve("data"), Map.of()));
  }

  @AfterAll
  void stop() {
    if (daemon != null) daemon.close();
  }

  @Test
  void tokenFileIsOwnerOnlyAndUrlFileNamesTheDaemon() throws IOException {
    assertEquals(
        Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
        Files.getPosixFilePermissions(dir.resolve("data/token")));
    assertEquals(daemon.url(), client.url());
    assertTrue(token.length() >= 40, "a long random token");
  }

  @Test
  void submitRunInspectExport() throws Exception {
    CampaignView c = client.submit("campaign.yaml", resource("campaign.yaml"));
    assertEquals("daemon-silver", c.name());
    assertEquals("daemon-silver~1", c.id());
    assertTrue(c.runningHere(), "the daemon runs what was submitted to it");
    await()
        .atMost(Duration.ofSeconds(90))
        .until(() -> client.campaign(c.id()).status().equals("DONE"));

    CampaignView done = client.campaign(c.id());
    assertEquals(4, done.experimentsReached());
    assertFalse(done.runningHere(), "an ended run is not running anywhere");
    List<ExperimentView> experiments = client.experiments(c.id());
    assertEquals(4, experiments.size());
    for (ExperimentView e : experiments) {
      assertEquals("DONE", e.status(), e::toString);
      double peak = e.objectives().get("peak");
      assertTrue(peak > 300 && peak < 800, "a plasmon peak in nm: " + peak);
    }
    assertEquals(4, client.observations(c.id()).size());

    String csv = client.export(c.id(), "csv");
    List<String> lines = csv.lines().toList();
    assertEquals(5, lines.size(), csv);
    assertTrue(lines.get(0).contains("temperature") && lines.get(0).contains("peak"), lines.get(0));
    List<String> jsonl = client.export(c.id(), "jsonl").lines().filter(l -> !l.isBlank()).toList();
    assertTrue(jsonl.size() >= 4, "one line per experiment at least");
    for (String l : jsonl) json.readTree(l);

    List<EventView> audit =
        client.events(c.id()).stream().filter(e -> "audit".equals(e.kind())).toList();
    assertEquals("local", audit.get(0).actor());
    assertTrue(
        audit.get(0).message().startsWith("local: submitted campaign.yaml"),
        audit.get(0).message());

    String metrics = get("/metrics", null).body();
    assertTrue(
        metrics.contains(
            "labloop_step_duration_seconds_count{command=\"synthesize\",instrument=\"robot\",outcome=\"done\"}"),
        metrics);
    assertTrue(
        metrics.contains("labloop_planner_duration_seconds_count{planner=\"random\"}"), metrics);
  }

  @Test
  void runsStartedOutsideTheDaemonOnTheSameStoreAreListedAndInspectable() {
    // what 'labloop run' on the same data folder writes, through its own connection to the store
    try (Store other = Store.open(StoreLocation.sqlite(dir.resolve("data")))) {
      other.saveCampaign(
          "foreground", Path.of("foreground.yaml"), "campaign: foreground\n", "f00d");
      String runId = other.createRun("foreground", "f00d", 3).id();
      Point p = new Point(Map.of("temperature", 150.0));
      other.planExperiment(
          runId,
          1,
          p,
          Suggestion.of(p, "random", "uniform draw"),
          ExperimentStatus.PLANNED,
          OptionalInt.empty());
      other.finishExperiment(
          runId,
          1,
          ExperimentStatus.DONE,
          Optional.of(p),
          Map.of("peak", 512.0),
          Optional.empty(),
          Optional.of(Observation.ok(p, Map.of("peak", 512.0))));
    }
    CampaignView listed =
        client.campaigns().stream()
            .filter(c -> c.name().equals("foreground"))
            .findFirst()
            .orElseThrow();
    assertEquals("foreground~1", listed.id());
    assertEquals("STOPPED", listed.status(), "unfinished, and not run by this daemon");
    assertFalse(listed.runningHere());
    assertEquals(1, listed.experimentsDone());
    assertEquals(listed.id(), client.find("foreground").id(), "the CLI finds it by name");
    assertEquals(512.0, client.experiments(listed.id()).get(0).objectives().get("peak"));
    assertTrue(
        client.export(listed.id(), "csv").lines().count() == 2, "exported like the daemon's own");
    ApiProblem notHere =
        org.junit.jupiter.api.Assertions.assertThrows(
            ApiProblem.class, () -> client.pause(listed.id()));
    assertEquals(409, notHere.status());
  }

  @Test
  void theHealthCheckProbesTheIdleSpectrometerWithItsHealthCommand() throws Exception {
    // the daemon checks every 5 s here; the virtual spectrometer answers *IDN? on its pty
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                get("/metrics", null)
                    .body()
                    .contains(
                        "labloop_health_probe_seconds_count{instrument=\"spectrometer\",outcome=\"ok\"}"));
    String metrics = get("/metrics", null).body();
    assertFalse(
        metrics.contains("labloop_health_probe_seconds_count{instrument=\"robot\""),
        "the robot has no health: command");
    assertFalse(metrics.contains("outcome=\"failed\""), metrics);
    assertTrue(
        client.instruments().stream().allMatch(i -> i.status().equals("ONLINE")),
        () -> client.instruments().toString());
  }

  @Test
  void aCampaignRunningInAnotherProcessOnTheDataFolderIsNotStartedTwice() throws Exception {
    String yaml =
        resource("campaign.yaml").replace("campaign: daemon-silver", "campaign: daemon-locked");
    // what a 'labloop run' of the same campaign on the same data folder holds while it runs
    try (RunLock foreground =
        RunLock.tryAcquire(dir.resolve("data"), "daemon-locked").orElseThrow()) {
      HttpResponse<String> r = post("/api/campaigns?file=locked.yaml", yaml, token);
      assertEquals(409, r.statusCode(), r.body());
      assertTrue(
          json.readTree(r.body())
              .get("detail")
              .asText()
              .contains("is running in another process on this data folder"),
          r.body());
    }
    assertTrue(
        client.campaigns().stream().noneMatch(c -> c.name().equals("daemon-locked")),
        "nothing was started");
  }

  @Test
  void changesWithoutATokenAre401() throws Exception {
    HttpResponse<String> r =
        post("/api/campaigns?file=campaign.yaml", resource("campaign.yaml"), null);
    assertEquals(401, r.statusCode());
    assertEquals(
        "application/problem+json",
        r.headers().firstValue("Content-Type").orElse("").split(";")[0]);
    assertEquals(401, post("/api/emergency-stop", "", "wrong").statusCode());
    assertEquals(200, get("/api/campaigns", null).statusCode(), "reads from loopback are open");
  }

  @Test
  void malformedAndOversizedYamlAreRefusedWithPositionsAndTheDaemonServesOn() throws Exception {
    String broken =
        resource("campaign.yaml")
            .replace("campaign: daemon-silver", "campaign: daemon-broken")
            .replace("max: 200", "max: hot");
    HttpResponse<String> r = post("/api/campaigns?file=broken.yaml", broken, token);
    assertEquals(400, r.statusCode(), r.body());
    JsonNode p = json.readTree(r.body());
    String first = p.get("problems").get(0).asText();
    assertTrue(first.matches("broken\\.yaml:4:\\d+: error: .*"), first);

    HttpResponse<String> tabs =
        post("/api/campaigns?file=tabs.yaml", "campaign: x\n\tlab: lab.yaml\n", token);
    assertEquals(400, tabs.statusCode(), tabs.body());
    assertTrue(
        json.readTree(tabs.body()).get("problems").get(0).asText().startsWith("tabs.yaml:2:"),
        tabs.body());

    String huge = resource("campaign.yaml") + ("#" + "x".repeat(99) + "\n").repeat(700);
    HttpResponse<String> big = post("/api/campaigns?file=huge.yaml", huge, token);
    assertEquals(413, big.statusCode(), big.body());
    assertTrue(
        json.readTree(big.body())
            .get("problems")
            .get(0)
            .asText()
            .startsWith("huge.yaml:1:1: error: the file is"),
        big.body());

    assertEquals("ok", client.health().get("status"));
    assertTrue(client.campaigns().stream().noneMatch(c -> c.name().equals("daemon-broken")));
  }

  @Test
  void approvalFlow() {
    CampaignView c = client.submit("manual.yaml", resource("manual.yaml"));
    await().atMost(Duration.ofSeconds(30)).until(() -> !client.approvals(c.id()).isEmpty());
    ApprovalView first = client.approvals(c.id()).get(0);
    assertEquals("random", first.planner());
    assertFalse(first.reason().isBlank(), "the planner's reason is shown");
    assertEquals(Set.of("temperature", "time", "concentration", "solvent"), first.point().keySet());
    assertTrue(
        client.experiments(c.id()).stream().allMatch(e -> e.status().equals("WAITING_APPROVAL")),
        "nothing runs before a person approves");

    client.approve(c.id(), first.seq());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                client.experiments(c.id()).stream()
                    .anyMatch(e -> e.seq() == first.seq() && e.status().equals("DONE")));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> client.approvals(c.id()).stream().anyMatch(a -> a.seq() != first.seq()));
    ApprovalView second =
        client.approvals(c.id()).stream()
            .filter(a -> a.seq() != first.seq())
            .findFirst()
            .orElseThrow();
    client.reject(c.id(), second.seq(), "solvent out of stock");
    ExperimentView rejected =
        client.experiments(c.id()).stream()
            .filter(e -> e.seq() == second.seq())
            .findFirst()
            .orElseThrow();
    assertEquals("REJECTED", rejected.status());
    assertTrue(rejected.cause().contains("solvent out of stock"), rejected.cause());

    CampaignView aborted = client.abort(c.id());
    assertEquals("ABORTED", aborted.status());
    List<String> audit =
        client.events(c.id()).stream()
            .filter(e -> "audit".equals(e.kind()))
            .map(EventView::message)
            .toList();
    assertTrue(audit.contains("local: approved experiment #" + first.seq()), audit::toString);
    assertTrue(
        audit.contains("local: rejected experiment #" + second.seq() + ": solvent out of stock"),
        audit::toString);
    assertTrue(audit.contains("local: aborted the campaign"), audit::toString);
  }

  @Test
  void aBadLabFileIsRejectedOnReloadAndTheRunningOneStays() throws Exception {
    String good = Files.readString(labFile);
    try {
      Files.writeString(labFile, good.replace("baud: 115200", "baud: fast"));
      ReloadResult r = client.reload();
      assertFalse(r.applied());
      assertTrue(
          r.problems().stream().anyMatch(p -> p.startsWith(labFile + ":") && p.contains("baud")),
          r.problems()::toString);
      assertEquals(
          List.of("ONLINE", "ONLINE"), client.instruments().stream().map(i -> i.status()).toList());
    } finally {
      Files.writeString(labFile, good);
    }
    ReloadResult same = client.reload();
    assertTrue(same.applied() && same.changes().isEmpty(), same::toString);

    // A change that would no longer fit a running campaign (temperature 40..200 against max 150):
    // the whole reload is rejected with the campaign file's position, and nothing changes.
    CampaignView c =
        client.submit(
            "hold.yaml",
            resource("manual.yaml").replace("campaign: daemon-approval", "campaign: daemon-hold"));
    try {
      Files.writeString(labFile, good.replace("max: 250, unit: degC", "max: 150, unit: degC"));
      ReloadResult refused = client.reload();
      assertFalse(refused.applied());
      assertEquals(List.of("robot: limits changed"), refused.changes());
      assertTrue(
          refused.problems().stream()
              .anyMatch(
                  p ->
                      p.startsWith("running campaign daemon-hold: ")
                          && p.contains("hold.yaml:4:")
                          && p.contains("temperature")
                          && p.contains("150")),
          refused.problems()::toString);
    } finally {
      Files.writeString(labFile, good);
      client.abort(c.id());
    }
    ReloadResult back = client.reload();
    assertTrue(
        back.applied() && back.changes().isEmpty(), "the rejected file was never applied: " + back);
  }

  @Test
  void aReloadWhileACampaignRunsAppliesToTheStepsThatStartAfterIt() throws Exception {
    String good = Files.readString(labFile);
    CampaignView c =
        client.submit(
            "hot.yaml",
            resource("campaign.yaml")
                .replace("campaign: daemon-silver", "campaign: daemon-hot")
                .replace("experiments: 4", "experiments: 6"));
    try {
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> client.experiments(c.id()).stream().anyMatch(e -> e.status().equals("DONE")));
      // The robot now wants its door open (it is closed) and gives up after 1 s: a synthesis that
      // starts after the reload is held by the interlock and fails naming the new settings.
      Files.writeString(
          labFile,
          good.replace("timeout: 10m", "timeout: 1s")
              .replace("robot.Door: Closed", "robot.Door: Open"));
      ReloadResult r = client.reload();
      assertTrue(r.applied(), r::toString);
      assertEquals(List.of("robot: commands changed"), r.changes());
      // Held experiments never reach the instrument, so they do not use up the budget.
      await()
          .atMost(Duration.ofSeconds(15))
          .until(
              () ->
                  client.experiments(c.id()).stream()
                          .filter(e -> e.status().equals("FAILED"))
                          .count()
                      >= 2);
      assertEquals(
          "RUNNING", client.campaign(c.id()).status(), "the campaign runs on through the reload");
    } finally {
      Files.writeString(labFile, good);
    }
    ReloadResult back = client.reload();
    assertTrue(
        back.applied() && back.changes().equals(List.of("robot: commands changed")),
        back::toString);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> !client.campaign(c.id()).status().equals("RUNNING"));
    CampaignView done = client.campaign(c.id());
    assertEquals("DONE", done.status(), done::toString);
    assertEquals(6, done.experimentsReached(), "the campaign ran on to its budget");
    List<ExperimentView> experiments = client.experiments(c.id());
    assertEquals(
        "DONE",
        experiments.stream().filter(e -> e.seq() == 1).findFirst().orElseThrow().status(),
        "started before the reload");
    List<ExperimentView> failed =
        experiments.stream().filter(e -> e.status().equals("FAILED")).toList();
    assertTrue(failed.size() >= 2, experiments::toString);
    assertTrue(
        failed.stream()
            .allMatch(
                e ->
                    e.cause().contains("robot.Door must be Open")
                        && e.cause().contains("held longer than its timeout (1 s)")),
        failed::toString);
    // A step held at the moment of the reload back reads the interlock again under the old settings
    // and runs.
    assertEquals(
        6,
        experiments.stream().filter(e -> e.status().equals("DONE")).count(),
        experiments::toString);
  }

  @Test
  void aScheduledCampaignWaitsForItsTimeAndCanBeCancelled() {
    String yaml =
        resource("campaign.yaml").replace("campaign: daemon-silver", "campaign: daemon-new-year")
            + "schedule: \"0 0 3 1 1 ?\"\n";
    CampaignView c = client.submit("new-year.yaml", yaml);
    assertEquals("SCHEDULED", c.status());
    assertEquals("daemon-new-year", c.id(), "no run yet: known by its name");
    assertTrue(c.stopReason().matches("starts \\d{4}-01-01T03:00:00Z"), c.stopReason());
    assertEquals("SCHEDULED", client.find("daemon-new-year").status());
    assertTrue(client.experiments(c.id()).isEmpty());
    assertEquals("ABORTED", client.abort(c.id()).status());
    assertTrue(client.campaigns().stream().noneMatch(x -> x.name().equals("daemon-new-year")));
  }

  @Test
  void theEventStreamCarriesExperimentsAndAudit() throws Exception {
    List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
    HttpResponse<java.util.stream.Stream<String>> resp =
        http.sendAsync(
                HttpRequest.newBuilder(daemon.url().resolve("/api/events"))
                    .header("Accept", "text/event-stream")
                    .build(),
                HttpResponse.BodyHandlers.ofLines())
            .get();
    Thread reader = new Thread(() -> resp.body().forEach(lines::add));
    reader.setDaemon(true);
    reader.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> !lines.isEmpty());
    String yaml =
        resource("campaign.yaml")
            .replace("campaign: daemon-silver", "campaign: daemon-sse")
            .replace("experiments: 4 }", "experiments: 1 }");
    CampaignView c = client.submit("sse.yaml", yaml);
    await().atMost(Duration.ofSeconds(30)).until(() -> lines.contains("event: experiment"));
    await().atMost(Duration.ofSeconds(30)).until(() -> lines.contains("event: audit"));
    assertTrue(
        lines.stream()
            .anyMatch(
                l -> l.startsWith("data: ") && l.contains("\"campaignId\":\"" + c.id() + "\"")),
        lines::toString);
  }

  @Test
  void theCommandLineClientsTalkToTheDaemon() throws IOException {
    Path data = dir.resolve("data");
    Path file = dir.resolve("cli.yaml");
    Files.writeString(
        file, resource("manual.yaml").replace("campaign: daemon-approval", "campaign: daemon-cli"));
    Cli submit = cli("submit", file.toString(), "--data", data.toString());
    assertEquals(0, submit.code, submit.err);
    assertTrue(
        submit.out.contains(
            "submitted daemon-cli as daemon-cli~1 (running, each suggestion waits for 'labloop approve')"),
        submit.out);
    await().atMost(Duration.ofSeconds(30)).until(() -> !client.approvals("daemon-cli~1").isEmpty());
    Cli list = cli("approve", "daemon-cli", "--data", data.toString());
    assertEquals(0, list.code, list.err);
    assertTrue(list.out.contains("#1 {temperature="), list.out);
    assertEquals(0, cli("approve", "daemon-cli", "1", "--data", data.toString()).code);
    Cli status = cli("status", "daemon-cli", "--data", data.toString());
    assertTrue(status.out.contains("daemon-cli (daemon-cli~1): RUNNING"), status.out);
    assertEquals(0, cli("pause", "daemon-cli", "--data", data.toString()).code);
    assertTrue(cli("status", "daemon-cli", "--data", data.toString()).out.contains("PAUSED"));
    assertEquals(0, cli("resume", "daemon-cli", "--data", data.toString()).code);
    assertEquals(0, cli("abort", "daemon-cli", "--data", data.toString()).code);

    Files.writeString(file, "campaign: [unclosed\n");
    Cli bad = cli("submit", file.toString(), "--data", data.toString());
    assertEquals(2, bad.code);
    assertTrue(bad.err.lines().anyMatch(l -> l.startsWith("cli.yaml:2:1: error: ")), bad.err);
    Cli noToken = cli("abort", "--all", "--token", "wrong", "--data", data.toString());
    assertEquals(2, noToken.code);
    assertTrue(noToken.err.contains("the token is not known to this daemon"), noToken.err);
    Cli nobody = cli("status", "--url", "http://127.0.0.1:9", "--data", data.toString());
    assertEquals(1, nobody.code);
    assertTrue(nobody.err.contains("no daemon answers at http://127.0.0.1:9"), nobody.err);
    Cli reload = cli("reload", "--data", data.toString());
    assertEquals(0, reload.code, reload.err);
  }

  /** What one {@code labloop} command printed and returned. */
  record Cli(int code, String out, String err) {}

  /** Runs {@code labloop ARGS} in this JVM, capturing its output. */
  static synchronized Cli cli(String... args) {
    java.io.PrintStream out = System.out;
    java.io.PrintStream err = System.err;
    var o = new java.io.ByteArrayOutputStream();
    var e = new java.io.ByteArrayOutputStream();
    try {
      System.setOut(new java.io.PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new java.io.PrintStream(e, true, StandardCharsets.UTF_8));
      int code = io.labloop.orchestrator.cli.Main.run(args);
      return new Cli(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  private HttpResponse<String> post(String path, String body, String bearer) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(daemon.url().resolve(path))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (bearer != null) b.header("Authorization", "Bearer " + bearer);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path, String bearer) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(daemon.url().resolve(path)).GET();
    if (bearer != null) b.header("Authorization", "Bearer " + bearer);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String resource(String name) {
    try (InputStream in = DaemonIT.class.getResourceAsStream("/daemon/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
