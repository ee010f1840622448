package io.labloop.drivers.support;

import io.labloop.settings.Section;
import java.time.Duration;
import java.util.List;

/**
 * How one configured command is run, from its common keys.
 *
 * @param timeout {@code timeout:}; the whole reply must arrive within it (default 30 s)
 * @param idempotent {@code idempotent: true} allows re-sending after a timeout or a lost connection
 * @param outputs {@code outputs:}; a reply that lacks one is a bad reply
 * @param retries how many times an idempotent command is re-sent (not configurable yet: 2)
 * @param backoff wait before the first re-send; doubles each time
 */
public record CommandPolicy(
    Duration timeout, boolean idempotent, List<String> outputs, int retries, Duration backoff) {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  public CommandPolicy {
    outputs = List.copyOf(outputs);
  }

  /** Reads the common keys of a command, reporting problems on {@code command}. */
  public static CommandPolicy read(Section command) {
    Duration timeout = command.duration("timeout").orElse(DEFAULT_TIMEOUT);
    if (timeout.isZero() || timeout.isNegative()) {
      command.problem("timeout", "must be longer than zero");
      timeout = DEFAULT_TIMEOUT;
    }
    boolean idempotent = command.flag("idempotent", false);
    List<String> outputs =
        command.list("outputs").orElse(List.of()).stream().map(Section::outputName).toList();
    return new CommandPolicy(
        timeout, idempotent, outputs, idempotent ? 2 : 0, Duration.ofMillis(500));
  }
}
