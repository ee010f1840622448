package io.labloop.orchestrator.config;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the orchestrator needs to know of one command; the protocol details stay in the driver's
 * section.
 *
 * @param name the command's name
 * @param timeout the watchdog's limit for one run of the command
 * @param idempotent safe to send twice (re-sent after a crash, retried after a timeout)
 * @param outputs the names of the outputs it produces (for checking {@code $step.output})
 * @param requires interlocks: {@code instrument.Variable} to the value it must have before the
 *     command is sent
 */
public record CommandConfig(
    String name,
    Duration timeout,
    boolean idempotent,
    List<String> outputs,
    Map<String, Object> requires) {

  public CommandConfig {
    outputs = List.copyOf(outputs);
    requires = Collections.unmodifiableMap(new LinkedHashMap<>(requires));
  }
}
