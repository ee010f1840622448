package io.labloop.simulators.journal;

import java.time.Instant;
import java.util.Map;

/**
 * One command as an instrument received it.
 *
 * @param at when it arrived
 * @param command the command's name in the lab file (e.g. {@code synthesize}, {@code measure})
 * @param arguments its arguments as received (a measurer's {@code sampleId} among them)
 */
public record ReceivedCommand(Instant at, String command, Map<String, Object> arguments) {
  public ReceivedCommand {
    arguments = Map.copyOf(arguments);
  }
}
