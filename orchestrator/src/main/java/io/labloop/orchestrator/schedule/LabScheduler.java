package io.labloop.orchestrator.schedule;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.Properties;
import java.util.TimeZone;
import org.quartz.CronScheduleBuilder;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Planned campaign starts, health checks and calibrations on Quartz.
 *
 * <p>A campaign with {@code schedule:} starts once, at the first time after its submission that the
 * expression matches. That instant is planned as a one-shot trigger whose misfire rule is "fire
 * now": a start that fell due while the daemon was down happens as soon as it is back (with the
 * JDBC store Quartz keeps the trigger; with the in-memory store the daemon calls {@link #planStart}
 * again for every campaign still waiting, and a time already past starts at once).
 */
public final class LabScheduler implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LabScheduler.class);
  private static final String CAMPAIGNS = "campaigns";
  private static final String LOCAL = "local";

  private final Scheduler campaigns;
  private final Scheduler local;
  private final TimeZone zone;

  private LabScheduler(Scheduler campaigns, Scheduler local, TimeZone zone) {
    this.campaigns = campaigns;
    this.local = local;
    this.zone = zone;
  }

  /**
   * Creates (not yet started) schedulers.
   *
   * @param instance a name unique per daemon process (several may share one JVM in tests)
   */
  public static LabScheduler create(
      ScheduledWork work, JobStore store, String instance, TimeZone zone) {
    try {
      Scheduler local = scheduler(ramProperties("labloop-local-" + instance), work);
      Scheduler starts =
          store instanceof JobStore.PostgreSql pg
              ? scheduler(postgresProperties(pg), work)
              : scheduler(ramProperties("labloop-campaigns-" + instance), work);
      return new LabScheduler(starts, local, zone);
    } catch (SchedulerException e) {
      throw new IllegalStateException("the scheduler could not be created: " + e.getMessage(), e);
    }
  }

  public void start() {
    try {
      campaigns.start();
      local.start();
    } catch (SchedulerException e) {
      throw new IllegalStateException("the scheduler could not start: " + e.getMessage(), e);
    }
  }

  /**
   * Plans a campaign's start; replaces an earlier plan for the same campaign.
   *
   * @return when it will start; empty if the expression never matches again
   */
  public Optional<Instant> planStart(
      String campaignId, CronSchedule schedule, Instant submittedAt) {
    Optional<Instant> due = schedule.nextAfter(submittedAt);
    if (due.isEmpty()) return due;
    JobDetail job =
        JobBuilder.newJob(Jobs.StartCampaign.class)
            .withIdentity(campaignId, CAMPAIGNS)
            .usingJobData(Jobs.CAMPAIGN, campaignId)
            .requestRecovery()
            .build();
    Trigger trigger =
        TriggerBuilder.newTrigger()
            .withIdentity(campaignId, CAMPAIGNS)
            .startAt(Date.from(due.get()))
            .withSchedule(
                SimpleScheduleBuilder.simpleSchedule().withMisfireHandlingInstructionFireNow())
            .build();
    try {
      campaigns.scheduleJob(job, java.util.Set.of(trigger), true);
    } catch (SchedulerException e) {
      throw new IllegalStateException(
          "could not plan the start of " + campaignId + ": " + e.getMessage(), e);
    }
    log.info("schedule: campaign {} starts at {} ({})", campaignId, due.get(), schedule.given());
    return due;
  }

  /** When a planned campaign will start, if it is planned. */
  public Optional<Instant> plannedStart(String campaignId) {
    try {
      Trigger t = campaigns.getTrigger(TriggerKey.triggerKey(campaignId, CAMPAIGNS));
      return t == null
          ? Optional.empty()
          : Optional.ofNullable(t.getNextFireTime()).map(Date::toInstant);
    } catch (SchedulerException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Forgets a planned start (the campaign was aborted before it began). */
  public void cancelStart(String campaignId) {
    try {
      campaigns.deleteJob(JobKey.jobKey(campaignId, CAMPAIGNS));
    } catch (SchedulerException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Asks every instrument for its health every {@code every}, first after one period. */
  public void healthChecks(Duration every) {
    JobDetail job = JobBuilder.newJob(Jobs.HealthCheck.class).withIdentity("health", LOCAL).build();
    Trigger t =
        TriggerBuilder.newTrigger()
            .withIdentity("health", LOCAL)
            .startAt(Date.from(Instant.now().plus(every)))
            .withSchedule(
                SimpleScheduleBuilder.simpleSchedule()
                    .withIntervalInMilliseconds(every.toMillis())
                    .repeatForever()
                    .withMisfireHandlingInstructionNextWithRemainingCount())
            .build();
    replace(job, t);
  }

  /** Sends {@code instrument.command} whenever {@code schedule} matches. */
  public void calibration(String instrument, String command, CronSchedule schedule) {
    String name = "calibrate-" + instrument + "-" + command;
    JobDetail job =
        JobBuilder.newJob(Jobs.Calibration.class)
            .withIdentity(name, LOCAL)
            .usingJobData(Jobs.INSTRUMENT, instrument)
            .usingJobData(Jobs.COMMAND, command)
            .build();
    Trigger t =
        TriggerBuilder.newTrigger()
            .withIdentity(name, LOCAL)
            .withSchedule(
                CronScheduleBuilder.cronSchedule(schedule.quartz())
                    .inTimeZone(zone)
                    .withMisfireHandlingInstructionDoNothing())
            .build();
    replace(job, t);
  }

  private void replace(JobDetail job, Trigger t) {
    try {
      local.scheduleJob(job, java.util.Set.of(t), true);
    } catch (SchedulerException e) {
      throw new IllegalStateException(
          "could not schedule " + job.getKey() + ": " + e.getMessage(), e);
    }
  }

  /** Waits for running jobs (a calibration in progress) to finish. */
  @Override
  public void close() {
    try {
      local.shutdown(true);
      campaigns.shutdown(true);
    } catch (SchedulerException e) {
      log.warn("scheduler shutdown: {}", e.getMessage());
    }
  }

  // ---------------------------------------------------------------------------------------

  private static Scheduler scheduler(Properties p, ScheduledWork work) throws SchedulerException {
    Scheduler s = new StdSchedulerFactory(p).getScheduler();
    s.setJobFactory(Jobs.factory(work));
    return s;
  }

  private static Properties base(String name) {
    Properties p = new Properties();
    p.setProperty("org.quartz.scheduler.instanceName", name);
    p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
    p.setProperty("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool");
    p.setProperty("org.quartz.threadPool.threadCount", "2");
    p.setProperty("org.quartz.threadPool.makeThreadsDaemons", "true");
    p.setProperty("org.quartz.scheduler.makeSchedulerThreadDaemon", "true");
    return p;
  }

  static Properties ramProperties(String name) {
    Properties p = base(name);
    p.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
    return p;
  }

  static Properties postgresProperties(JobStore.PostgreSql pg) {
    String dataSource = "labloop";
    // Registered by a call rather than by class name in the properties: Quartz's own pooling
    // providers need c3p0 or HikariCP, and a few jobs a minute need no pool.
    DBConnectionManager.getInstance()
        .addConnectionProvider(dataSource, new PostgresConnections(pg));
    createTablesIfMissing(pg);
    Properties p = base("labloop-campaigns");
    p.setProperty("org.quartz.scheduler.instanceId", "AUTO");
    p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
    p.setProperty(
        "org.quartz.jobStore.driverDelegateClass",
        "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
    p.setProperty("org.quartz.jobStore.dataSource", dataSource);
    p.setProperty("org.quartz.jobStore.tablePrefix", "QRTZ_");
    p.setProperty("org.quartz.jobStore.isClustered", "true");
    p.setProperty("org.quartz.jobStore.clusterCheckinInterval", "10000");
    p.setProperty("org.quartz.jobStore.useProperties", "true");
    // The JDBC store picks up a start that fell due while no daemon ran only when its misfire
    // handler looks, every threshold; Quartz's 60 s default would delay such starts by a minute.
    p.setProperty("org.quartz.jobStore.misfireThreshold", "5000");
    return p;
  }

  /** Quartz's own PostgreSQL schema, created once in the LabLoop database. */
  private static void createTablesIfMissing(JobStore.PostgreSql pg) {
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password())) {
      try (ResultSet rs = c.getMetaData().getTables(null, null, "qrtz_locks", null)) {
        if (rs.next()) return;
      }
      String sql;
      try (InputStream in =
          Scheduler.class.getResourceAsStream(
              "/org/quartz/impl/jdbcjobstore/tables_postgres.sql")) {
        sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        for (String stmt : sql.replaceAll("(?m)^--.*$", "").split(";")) {
          String s = stmt.strip();
          if (!s.isEmpty() && !s.equalsIgnoreCase("COMMIT")) st.execute(s);
        }
      }
      c.commit();
      log.info("schedule: created Quartz tables in {}", pg.jdbcUrl());
    } catch (SQLException | IOException e) {
      throw new IllegalStateException(
          "could not prepare Quartz tables in " + pg.jdbcUrl() + ": " + e.getMessage(), e);
    }
  }

  private record PostgresConnections(JobStore.PostgreSql pg) implements ConnectionProvider {
    @Override
    public Connection getConnection() throws SQLException {
      return DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
    }

    @Override
    public void shutdown() {}

    @Override
    public void initialize() {}
  }
}
