package io.labloop.drivers;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an instrument answered to a command.
 *
 * @param command the command's name
 * @param outputs named, typed outputs (Double for numbers, String, Boolean, Long)
 * @param attachments raw data worth keeping (a spectrum, the reply text)
 * @param started when the command was sent
 * @param elapsed from sending to the complete reply
 */
public record Reply(
    String command,
    Map<String, Object> outputs,
    List<Attachment> attachments,
    Instant started,
    Duration elapsed) {

  public Reply {
    outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
    attachments = List.copyOf(attachments);
  }

  /** Raw data that came with a reply. */
  public record Attachment(String name, String mediaType, byte[] data) {}
}
