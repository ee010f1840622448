package io.labloop.orchestrator.schedule;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.Scheduler;
import org.quartz.spi.JobFactory;
import org.quartz.spi.TriggerFiredBundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The three jobs, and the factory that hands them the {@link ScheduledWork} (Quartz would otherwise
 * create jobs through a no-argument constructor, leaving them nothing to call but static state).
 * Job data holds plain strings only, so the JDBC store can persist it.
 */
final class Jobs {
  private static final Logger log = LoggerFactory.getLogger(Jobs.class);
  static final String CAMPAIGN = "campaign";
  static final String INSTRUMENT = "instrument";
  static final String COMMAND = "command";

  private Jobs() {}

  static JobFactory factory(ScheduledWork work) {
    return (TriggerFiredBundle bundle, Scheduler scheduler) -> {
      Class<? extends Job> type = bundle.getJobDetail().getJobClass();
      if (type == StartCampaign.class) return new StartCampaign(work);
      if (type == HealthCheck.class) return new HealthCheck(work);
      if (type == Calibration.class) return new Calibration(work);
      throw new org.quartz.SchedulerException("not a LabLoop job: " + type.getName());
    };
  }

  @DisallowConcurrentExecution
  static final class StartCampaign implements Job {
    private final ScheduledWork work;

    StartCampaign(ScheduledWork work) {
      this.work = work;
    }

    @Override
    public void execute(JobExecutionContext ctx) {
      String id = ctx.getMergedJobDataMap().getString(CAMPAIGN);
      log.info("schedule: starting campaign {}", id);
      try {
        work.startCampaign(id);
      } catch (RuntimeException e) {
        log.error("schedule: campaign {} could not start: {}", id, e.getMessage(), e);
      }
    }
  }

  @DisallowConcurrentExecution
  static final class HealthCheck implements Job {
    private final ScheduledWork work;

    HealthCheck(ScheduledWork work) {
      this.work = work;
    }

    @Override
    public void execute(JobExecutionContext ctx) {
      try {
        work.checkHealth();
      } catch (RuntimeException e) {
        log.warn("schedule: health check failed: {}", e.getMessage(), e);
      }
    }
  }

  @DisallowConcurrentExecution
  static final class Calibration implements Job {
    private final ScheduledWork work;

    Calibration(ScheduledWork work) {
      this.work = work;
    }

    @Override
    public void execute(JobExecutionContext ctx) {
      String instrument = ctx.getMergedJobDataMap().getString(INSTRUMENT);
      String command = ctx.getMergedJobDataMap().getString(COMMAND);
      log.info("schedule: calibration {}.{}", instrument, command);
      try {
        work.calibrate(instrument, command);
      } catch (RuntimeException e) {
        log.warn("schedule: calibration {}.{} failed: {}", instrument, command, e.getMessage(), e);
      }
    }
  }
}
