package io.labloop.orchestrator.console;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.labloop.orchestrator.api.CampaignView;
import io.labloop.orchestrator.api.ExperimentView;
import io.labloop.orchestrator.client.ClientSettings;
import io.labloop.orchestrator.client.LabLoopClient;
import io.labloop.orchestrator.daemon.Daemon;
import io.labloop.orchestrator.daemon.DaemonConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real browser: Debian's chromium, headless, driven by Selenium through
 * chromedriver, against a real daemon (in this JVM) running real campaigns on the virtual lab (OPC
 * UA robot, serial spectrometer). Screenshots go to {@code target/console-screenshots/}.
 *
 * <p>Without {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver} (Debian's {@code chromium}
 * and {@code chromium-driver}) the tests are skipped with that reason, except in CI ({@code
 * CI=true}), where a missing browser is a failure: {@code .ci/run} installs it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleBrowserIT {
  static final Path CHROMIUM =
      Path.of(System.getenv().getOrDefault("LABLOOP_CHROMIUM", "/usr/bin/chromium"));
  static final Path CHROMEDRIVER =
      Path.of(System.getenv().getOrDefault("LABLOOP_CHROMEDRIVER", "/usr/bin/chromedriver"));
  static final Path SHOTS = Path.of("target", "console-screenshots");

  private Path dir;
  private Daemon daemon;
  private LabLoopClient client;
  private String token;
  private String base;
  private final List<WebDriver> drivers = new ArrayList<>();

  @BeforeAll
  void start() throws IOException {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    String why =
        "browser tests skipped: "
            + CHROMIUM
            + " or "
            + CHROMEDRIVER
            + " is missing "
            + "(install Debian's chromium and chromium-driver; .ci/run does)";
    if (!present && "true".equals(System.getenv("CI"))) throw new IllegalStateException(why);
    Assumptions.assumeTrue(present, why);
    Files.createDirectories(SHOTS);
    dir = Files.createTempDirectory("labloop-console-it");
    Path labFile = dir.resolve("lab.yaml");
    Files.writeString(labFile, resource("lab.yaml"));
    Path campaigns = Files.createDirectories(dir.resolve("campaigns"));
    Files.writeString(
        campaigns.resolve("picked.yaml"),
        campaign("console-picked", 3, false).replace("lab: lab.yaml", "lab: ../lab.yaml"));
    DaemonConfig defaults = DaemonConfig.defaults(labFile, dir.resolve("data"));
    DaemonConfig config =
        new DaemonConfig(
            labFile,
            campaigns,
            dir.resolve("data"),
            true,
            "127.0.0.1",
            0,
            256 * 1024,
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
    base = daemon.url().toString();
  }

  @AfterEach
  void closeBrowsers() {
    drivers.forEach(WebDriver::quit);
    drivers.clear();
  }

  @AfterAll
  void stop() {
    if (daemon != null) daemon.close();
  }

  @Test
  void campaignPageShowsEveryObservationAndEachNewOneWithinTwoSeconds() {
    WebDriver browser = browser(1280, 800);
    CampaignView c = client.submit("live.yaml", campaign("console-live", 8, false));
    browser.get(base + "/#/campaign/" + c.id());
    waitFor(browser, By.cssSelector("[data-points='peak']"));
    List<Long> delays = new ArrayList<>();
    int seen = doneCount(c.id());
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (!client.campaign(c.id()).status().equals("DONE") || seen < doneCount(c.id())) {
      assertTrue(System.nanoTime() < deadline, "the campaign did not finish in 90 s");
      int now = doneCount(c.id());
      if (now > seen) {
        long t0 = System.nanoTime();
        int expected = now;
        new WebDriverWait(browser, Duration.ofSeconds(5), Duration.ofMillis(20))
            .until(d -> pointsOnPlot(d, "peak") >= expected);
        delays.add((System.nanoTime() - t0) / 1_000_000);
        seen = now;
      }
      int known = seen;
      // until the next experiment ends, or the run does
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(20))
          .until(
              () -> doneCount(c.id()) > known || client.campaign(c.id()).status().equals("DONE"));
    }
    int done = doneCount(c.id());
    new WebDriverWait(browser, Duration.ofSeconds(5)).until(d -> pointsOnPlot(d, "peak") == done);
    assertEquals(done, pointsOnPlot(browser, "peak"), "one point per finished experiment");
    assertEquals(
        Integer.toString(done),
        browser.findElement(By.cssSelector("[data-points='peak']")).getAttribute("data-count"));
    assertTrue(delays.size() >= 3, "saw several experiments arrive live: " + delays);
    long worst = delays.stream().mapToLong(Long::longValue).max().orElseThrow();
    System.out.println("console: new observations appeared on the page after " + delays + " ms");
    assertTrue(
        worst < 2000,
        "every new observation on the page within 2 s of the API saying DONE: " + delays + " ms");
    // a finished campaign offers no pause, resume or abort
    waitFor(browser, By.cssSelector("#campaign-head [data-status='DONE']"));
    for (String control : List.of("pause", "resume", "abort")) {
      assertFalse(browser.findElement(By.id(control)).isEnabled(), control + " on a DONE campaign");
    }
    screenshot(browser, "campaign-1280x800");
  }

  @Test
  void approvingFromThePageReleasesTheSuggestion() {
    WebDriver browser = browser(1280, 800);
    CampaignView c = client.submit("approval.yaml", campaign("console-approval", 20, true));
    browser.get(base + "/#/campaign/" + c.id());
    signIn(browser);
    WebElement row = waitFor(browser, By.cssSelector("[data-approval]"));
    int seq = Integer.parseInt(row.getAttribute("data-approval"));
    assertEquals(
        "WAITING_APPROVAL",
        experiment(c.id(), seq).status(),
        "waits for a person before the click");
    screenshot(browser, "approval-inbox");
    click(browser, By.cssSelector("[data-approval='" + seq + "'] button.approve"));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !experiment(c.id(), seq).status().equals("WAITING_APPROVAL"));
    assertTrue(
        client.events(c.id()).stream()
            .anyMatch(e -> "audit".equals(e.kind()) && e.message().startsWith("local: approved")),
        "the approval is in the audit trail under the token's name");
    client.abort(c.id());
  }

  @Test
  void pauseResumeAndAbortFromThePage() {
    WebDriver browser = browser(1280, 800);
    CampaignView c = client.submit("controls.yaml", campaign("console-controls", 40, false));
    browser.get(base + "/#/campaign/" + c.id());
    signIn(browser);
    click(browser, By.id("pause"));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> client.campaign(c.id()).status().equals("PAUSED"));
    waitFor(browser, By.cssSelector("#campaign-head [data-status='PAUSED']"));
    click(browser, By.id("resume"));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> client.campaign(c.id()).status().equals("RUNNING"));
    click(browser, By.id("abort"));
    new WebDriverWait(browser, Duration.ofSeconds(5))
        .until(ExpectedConditions.alertIsPresent())
        .accept();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> client.campaign(c.id()).status().equals("ABORTED"));
    waitFor(browser, By.cssSelector("#campaign-head [data-status='ABORTED']"));
  }

  @Test
  void aChangeWithoutSigningInIsRefusedAndAWrongTokenToo() {
    WebDriver browser = browser(1280, 800);
    CampaignView c = client.submit("unsigned.yaml", campaign("console-unsigned", 40, false));
    try {
      browser.get(base + "/#/campaign/" + c.id());
      click(browser, By.id("pause"));
      WebElement notice = waitFor(browser, By.id("notice"));
      new WebDriverWait(browser, Duration.ofSeconds(5))
          .until(d -> notice.getText().contains("refused"));
      assertTrue(notice.getText().contains("sign in"), notice.getText());
      assertEquals(
          "RUNNING", client.campaign(c.id()).status(), "the refused pause changed nothing");

      browser.findElement(By.id("token")).sendKeys("not-the-token");
      browser.findElement(By.cssSelector("#sign-in button")).click();
      new WebDriverWait(browser, Duration.ofSeconds(5))
          .until(d -> notice.getText().contains("Sign-in refused"));
      assertTrue(notice.getText().contains("not known"), notice.getText());
      screenshot(browser, "refused");
    } finally {
      client.abort(c.id());
    }
  }

  @Test
  void anUploadedBrokenCampaignShowsItsFileLineColumnErrorsAndAFolderFileStarts()
      throws IOException {
    WebDriver browser = browser(1280, 800);
    browser.get(base + "/#/");
    signIn(browser);
    Path broken = dir.resolve("broken.yaml");
    Files.writeString(
        broken, campaign("console-broken", 3, false).replace("goal: target", "goal: biggest"));
    browser.findElement(By.id("upload")).sendKeys(broken.toString());
    browser.findElement(By.id("start-upload")).click();
    WebElement problems = waitFor(browser, By.cssSelector("#start-problems .problems li"));
    assertTrue(
        problems.getText().matches("broken\\.yaml:\\d+:\\d+: error: .*"), problems.getText());
    screenshot(browser, "broken-upload");

    new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("campaign-file")))
        .selectByValue("picked.yaml");
    browser.findElement(By.id("start-file")).click();
    waitFor(browser, By.cssSelector("#start-problems a"));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> client.campaigns().stream().anyMatch(x -> x.name().equals("console-picked")));
  }

  @Test
  void worksAt1280x800AndOnAn800x480InstrumentScreen() {
    CampaignView c = client.submit("screens.yaml", campaign("console-screens", 4, false));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> client.campaign(c.id()).status().equals("DONE"));
    for (int[] size : new int[][] {{1280, 800}, {800, 480}}) {
      WebDriver browser = browser(size[0], size[1]);
      String tag = size[0] + "x" + size[1];
      browser.get(base + "/#/");
      waitFor(browser, By.cssSelector("[data-campaign='" + c.id() + "']"));
      assertNoSidewaysScroll(browser, "campaigns at " + tag);
      screenshot(browser, "campaigns-" + tag);
      browser.get(base + "/#/campaign/" + c.id());
      new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> pointsOnPlot(d, "peak") == 4);
      assertTrue(
          browser.findElement(By.id("pause")).isDisplayed(),
          "the controls are on screen at " + tag);
      assertNoSidewaysScroll(browser, "campaign at " + tag);
      screenshot(browser, "campaign-" + tag);
      browser.get(base + "/#/instruments");
      waitFor(browser, By.cssSelector("[data-instrument='robot']"));
      assertNoSidewaysScroll(browser, "instruments at " + tag);
      screenshot(browser, "instruments-" + tag);
      browser.get(base + "/#/events");
      waitFor(browser, By.cssSelector("#timeline [data-kind='audit']"));
      screenshot(browser, "events-" + tag);
    }
  }

  @Test
  void instrumentsPageShowsTheLeaseHolderTheLastCommandAndTheHealthProbes() throws Exception {
    CampaignView c = client.submit("instruments.yaml", campaign("console-instruments", 10, false));
    WebDriver browser = browser(1280, 800);
    browser.get(base + "/#/instruments");
    waitFor(browser, By.cssSelector("[data-instrument='robot']"));
    // While the campaign runs, the robot (0.9 s per synthesis) is held by one of its experiments.
    String holder =
        new WebDriverWait(browser, Duration.ofSeconds(30), Duration.ofMillis(50))
            .until(
                d -> {
                  String t = text(d, "[data-instrument='robot'] .held-by");
                  return t.contains(c.id() + " #") && t.contains("synthesize") ? t : null;
                });
    assertTrue(
        holder.matches(
            "(?s).*" + java.util.regex.Pattern.quote(c.id()) + " #\\d+ synthesize since .*"),
        holder);
    String last = text(browser, "[data-instrument-card='robot'] .last-command");
    assertTrue(last.contains("synthesize(") && last.contains("temperature="), last);
    assertTrue(last.contains("by " + c.id().replace('~', '/') + " #"), last);
    screenshot(browser, "instruments-while-running");
    // The spectrometer has a health: command, probed every 5 s (BUSY rows while the campaign uses
    // it).
    new WebDriverWait(browser, Duration.ofSeconds(30), Duration.ofMillis(200))
        .until(
            d ->
                !d.findElements(
                        By.cssSelector("[data-instrument-card='spectrometer'] tr[data-probe]"))
                    .isEmpty());
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> client.campaign(c.id()).status().equals("DONE"));
    // Idle again: nobody holds the robot, its last command stays, and the JSON view says the same.
    new WebDriverWait(browser, Duration.ofSeconds(10), Duration.ofMillis(100))
        .until(d -> text(d, "[data-instrument='robot'] .held-by").isEmpty());
    assertTrue(text(browser, "[data-instrument-card='robot'] .last-command").contains("OK"));
    screenshot(browser, "instruments-after-run");
    java.net.http.HttpResponse<String> json =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(base + "/api/instruments/spectrometer"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(200, json.statusCode());
    com.fasterxml.jackson.databind.JsonNode detail =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.body());
    assertEquals("spectrometer", detail.get("instrument").get("name").asText());
    assertTrue(detail.get("probes").size() > 0, json.body());
    assertEquals("identify", detail.get("probes").get(0).get("command").asText());
    String lastSent = detail.get("lastCommand").get("command").asText();
    assertTrue(
        lastSent.equals("measure") || lastSent.equals("identify"),
        "the spectrometer's last command is the campaign's measure or a later probe: "
            + json.body());
  }

  private static String text(WebDriver browser, String css) {
    List<WebElement> found = browser.findElements(By.cssSelector(css));
    try {
      return found.isEmpty() ? "" : found.get(0).getText();
    } catch (org.openqa.selenium.StaleElementReferenceException e) {
      return "";
    }
  }

  // ---------------------------------------------------------------------------------------

  private WebDriver browser(int width, int height) {
    ChromeOptions o = new ChromeOptions();
    o.setBinary(CHROMIUM.toFile());
    try {
      o.addArguments(
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--disable-dev-shm-usage",
          "--user-data-dir=" + Files.createTempDirectory(dir, "chromium-profile"),
          "--window-size=" + width + "," + height);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    WebDriver d = new ChromeDriver(service, o);
    // --window-size sets the outer window; make the page itself (the viewport) the screen size.
    JavascriptExecutor js = (JavascriptExecutor) d;
    d.get(base + "/console/assets/favicon.svg");
    long dw = width - ((Number) js.executeScript("return window.innerWidth")).longValue();
    long dh = height - ((Number) js.executeScript("return window.innerHeight")).longValue();
    d.manage().window().setSize(new Dimension((int) (width + dw), (int) (height + dh)));
    drivers.add(d);
    return d;
  }

  private void signIn(WebDriver browser) {
    waitFor(browser, By.id("token")).sendKeys(token);
    browser.findElement(By.cssSelector("#sign-in button")).click();
    waitFor(browser, By.id("signed-in"));
    assertEquals("local", browser.findElement(By.id("who")).getText());
  }

  /**
   * Clicks what {@code what} finds, again if the page redrew it in between (live updates replace
   * elements).
   */
  private static void click(WebDriver browser, By what) {
    new WebDriverWait(browser, Duration.ofSeconds(15))
        .until(
            d -> {
              try {
                d.findElement(what).click();
                return true;
              } catch (org.openqa.selenium.StaleElementReferenceException
                  | org.openqa.selenium.NoSuchElementException e) {
                return false;
              }
            });
  }

  private static WebElement waitFor(WebDriver browser, By what) {
    return new WebDriverWait(browser, Duration.ofSeconds(15))
        .until(ExpectedConditions.visibilityOfElementLocated(what));
  }

  /** The points the chart of {@code objective} draws, read from ECharts itself. */
  private static long pointsOnPlot(WebDriver browser, String objective) {
    Object n =
        ((JavascriptExecutor) browser)
            .executeScript(
                "const box = document.querySelector(\"[data-objective-plot='\" + arguments[0] + \"'] .chart\");"
                    + "if (!box || !window.echarts) return -1;"
                    + "const c = echarts.getInstanceByDom(box); if (!c) return -1;"
                    + "return c.getOption().series[0].data.length;",
                objective);
    return ((Number) n).longValue();
  }

  private static void assertNoSidewaysScroll(WebDriver browser, String where) {
    JavascriptExecutor js = (JavascriptExecutor) browser;
    long scroll =
        ((Number) js.executeScript("return document.documentElement.scrollWidth")).longValue();
    long inner = ((Number) js.executeScript("return window.innerWidth")).longValue();
    assertTrue(
        scroll <= inner + 1,
        where + ": the page is " + scroll + " px wide in a " + inner + " px window");
  }

  private int doneCount(String id) {
    return (int) client.experiments(id).stream().filter(e -> e.status().equals("DONE")).count();
  }

  private ExperimentView experiment(String id, int seq) {
    return client.experiments(id).stream().filter(e -> e.seq() == seq).findFirst().orElseThrow();
  }

  private static void screenshot(WebDriver browser, String name) {
    try {
      Files.write(
          SHOTS.resolve(name + ".png"),
          ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static String campaign(String name, int budget, boolean manual) {
    return resource("campaign.yaml")
            .replace("campaign: daemon-silver", "campaign: " + name)
            .replace("budget: { experiments: 4 }", "budget: { experiments: " + budget + " }")
        + (manual ? "approval: manual\n" : "");
  }

  static String resource(String name) {
    try (InputStream in = ConsoleBrowserIT.class.getResourceAsStream("/daemon/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
