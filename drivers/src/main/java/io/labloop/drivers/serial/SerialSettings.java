package io.labloop.drivers.serial;

import io.labloop.drivers.support.CommandPolicy;
import io.labloop.drivers.support.CommonKeys;
import io.labloop.drivers.support.ReplyPattern;
import io.labloop.drivers.support.Template;
import io.labloop.settings.Section;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A serial instrument's section, checked. */
record SerialSettings(
    String port,
    int baud,
    int dataBits,
    String parity,
    String stopBits,
    String flowControl,
    String terminator,
    Duration lateReplyWait,
    Map<String, SerialCommand> commands) {

  /**
   * How long after a timeout the driver listens for the late reply before it sends anything else.
   */
  static final Duration DEFAULT_LATE_REPLY_WAIT = Duration.ofSeconds(1);

  static final List<String> PARITIES = List.of("none", "even", "odd", "mark", "space");
  static final List<String> STOP_BITS = List.of("1", "1.5", "2");
  static final List<String> FLOW_CONTROLS = List.of("none", "rts-cts", "xon-xoff");

  /** One configured command. {@code lines} 0 and {@code end} null mean a one-line reply. */
  record SerialCommand(
      String name,
      Template send,
      Optional<ReplyPattern> expect,
      Optional<ReplyPattern> error,
      int lines,
      String end,
      Duration delay,
      CommandPolicy policy) {}

  static SerialSettings read(Section s) {
    s.allowOnly(
        CommonKeys.instrumentPlus(
            List.of(
                "port",
                "baud",
                "data-bits",
                "parity",
                "stop-bits",
                "flow-control",
                "terminator",
                "late-reply-wait",
                "commands")));
    String port = s.requiredString("port", "the serial port, e.g. /dev/ttyUSB0").orElse("");
    int baud = s.integer("baud", 50, 4_000_000).orElse(9600);
    int dataBits = s.integer("data-bits", 5, 8).orElse(8);
    String parity = s.choice("parity", PARITIES).orElse("none");
    String stopBits = s.choice("stop-bits", STOP_BITS).orElse("1");
    String flow = s.choice("flow-control", FLOW_CONTROLS).orElse("none");
    String terminator = s.string("terminator").orElse("\n");
    if (terminator.isEmpty()) {
      s.problem(
          "terminator", "must not be empty: it is how the driver knows a reply line is complete");
      terminator = "\n";
    }
    Duration lateReplyWait = s.duration("late-reply-wait").orElse(DEFAULT_LATE_REPLY_WAIT);
    Map<String, SerialCommand> commands = new LinkedHashMap<>();
    s.section("commands")
        .ifPresentOrElse(
            cs -> {
              for (String name : cs.keys()) {
                cs.section(name).ifPresent(c -> commands.put(name, readCommand(name, c)));
              }
            },
            () -> s.problem(null, "missing 'commands' (what the instrument can be asked to do)"));
    return new SerialSettings(
        port, baud, dataBits, parity, stopBits, flow, terminator, lateReplyWait, commands);
  }

  private static SerialCommand readCommand(String name, Section c) {
    c.allowOnly(
        CommonKeys.commandPlus(List.of("send", "expect", "error", "lines", "end", "delay")));
    Template send =
        c.requiredString("send", "the line to send, e.g. \"MEAS {sampleId}\"")
            .flatMap(v -> c.parsed("send", v, x -> Template.parse((String) x)))
            .orElse(Template.parse(""));
    Optional<ReplyPattern> expect =
        c.string("expect")
            .flatMap(v -> c.parsed("expect", v, x -> ReplyPattern.compile((String) x)));
    Optional<ReplyPattern> error =
        c.string("error").flatMap(v -> c.parsed("error", v, x -> ReplyPattern.compile((String) x)));
    int lines = c.integer("lines", 1, 10_000).orElse(0);
    String end = c.string("end").orElse(null);
    if (lines > 0 && end != null) c.problem("end", "give either 'lines' or 'end', not both");
    Duration delay = c.duration("delay").orElse(Duration.ZERO);
    CommandPolicy policy = CommandPolicy.read(c);
    expect.ifPresent(
        p -> {
          for (String out : policy.outputs()) {
            if (!p.groups().contains(out)) {
              c.problem(
                  "outputs",
                  "output '"
                      + out
                      + "' is not a named group of 'expect' (it has "
                      + p.groups()
                      + ")");
            }
          }
        });
    if (expect.isEmpty() && !policy.outputs().isEmpty()) {
      c.problem("outputs", "outputs need an 'expect' regex with a named group for each");
    }
    return new SerialCommand(name, send, expect, error, lines, end, delay, policy);
  }
}
