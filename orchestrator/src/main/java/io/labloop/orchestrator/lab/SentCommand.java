package io.labloop.orchestrator.lab;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The last command the lab sent to an instrument, and how it ended.
 *
 * @param by who sent it: a run and experiment ({@code silver/2 #17 dose}), {@code health-check},
 *     {@code calibration}, {@code abort silver/2}
 * @param outcome SENT while no answer came, then OK or FAILED
 * @param answeredAt when the reply or error came, or null while none came
 * @param message the error for FAILED, else empty
 */
public record SentCommand(
    String command,
    Map<String, Object> arguments,
    String by,
    Instant sentAt,
    String outcome,
    @Nullable Instant answeredAt,
    String message) {

  /** Seconds from sending to the answer, or null while none came. */
  public @Nullable Double seconds() {
    return answeredAt == null ? null : Duration.between(sentAt, answeredAt).toMillis() / 1000.0;
  }
}
