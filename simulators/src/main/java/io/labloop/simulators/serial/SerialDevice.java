package io.labloop.simulators.serial;

import io.labloop.simulators.Endpoint;
import io.labloop.simulators.instrument.CommandBinding;
import io.labloop.simulators.instrument.Outcome;
import io.labloop.simulators.instrument.ProtocolDevice;
import io.labloop.simulators.instrument.SimulatedInstrument;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A serial instrument: a SCPI-style line protocol on a pseudo-terminal linked at the lab file's
 * {@code port}.
 *
 * <p>Protocol: one command per line; a line ends at CR, LF or CRLF (any mix, and a command may
 * arrive split over several writes). Replies end with the instrument section's {@code terminator}
 * (default LF).
 *
 * <ul>
 *   <li>{@code *IDN?} → {@code LabLoop,Virtual <name>,SIM<seed>,1.0}
 *   <li>{@code STAT?} → {@code OK state=Idle} (or Busy, Error)
 *   <li>{@code ABORT} → {@code OK} (ends a running operation; that operation answers {@code ERR
 *       aborted ...})
 *   <li>{@code *RST} → {@code OK} (restart: running operation lost)
 *   <li>each lab command, recognised by its {@code send} template ({@code MEAS {sampleId}}: the
 *       words where the template has {@code {name}} carry that argument) → {@code OK name=value
 *       ...} with the command's outputs, or {@code ERR message} (unknown sample, bad argument,
 *       busy, refused, unknown command)
 * </ul>
 *
 * <p>Faults: TIMEOUT sends nothing; GARBAGE sends a line of bytes that follow no rule; DISCONNECT
 * and RESTART close the pseudo-terminal (the client's line hangs up) and open a new one behind the
 * same link a moment later, as a USB adapter that is unplugged and plugged back.
 */
public final class SerialDevice implements ProtocolDevice {

  private static final Logger log = LoggerFactory.getLogger(SerialDevice.class);

  /** How long the line stays down after a disconnect, as for an adapter plugged back in. */
  private static final long REPLUG_MILLIS = 300;

  private final SimulatedInstrument instrument;
  private final Path link;
  private final String terminator;
  private final List<Route> routes;
  private final ExecutorService worker;
  private final Random garbage = new Random(7);
  private final Object writeLock = new Object();
  private volatile PseudoTerminal pty;
  private volatile boolean running = true;
  private Thread reader;

  private record Route(
      CommandBinding command,
      Pattern pattern,
      List<String> arguments,
      List<String> inputs,
      List<String> outputs) {}

  private SerialDevice(
      SimulatedInstrument instrument, Path link, String terminator, List<Route> routes) {
    this.instrument = instrument;
    this.link = link;
    this.terminator = terminator;
    this.routes = routes;
    this.worker =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "sim-serial-" + instrument.name());
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Opens a pseudo-terminal for the instrument and links it at {@code link}.
   *
   * @throws IllegalStateException when the link path is taken by something that is not a link
   */
  public static SerialDevice start(
      SimulatedInstrument instrument, Map<String, Object> section, Path link) {
    String terminator = section.get("terminator") instanceof String t && !t.isEmpty() ? t : "\n";
    List<Route> routes = new ArrayList<>();
    for (CommandBinding c : CommandBinding.all(section)) {
      if (c.definition().get("send") instanceof String template) {
        List<String> args = new ArrayList<>();
        Pattern p = templatePattern(template, args);
        List<String> inputs = c.inputs().isEmpty() ? args : c.inputs();
        routes.add(new Route(c, p, args, inputs, instrument.outputsOf(c)));
      }
    }
    SerialDevice device = new SerialDevice(instrument, link, terminator, routes);
    device.open();
    device.reader = new Thread(device::readLoop, "sim-serial-reader-" + instrument.name());
    device.reader.setDaemon(true);
    device.reader.start();
    return device;
  }

  /**
   * Turns a send template into a pattern: literal text matches itself (case-insensitively, as SCPI
   * does), {@code {name}} matches one word, or the rest of the line when it is last.
   */
  static Pattern templatePattern(String template, List<String> names) {
    Matcher m = Pattern.compile("\\{([^}]+)}").matcher(template.trim());
    StringBuilder regex = new StringBuilder("\\s*");
    int last = 0;
    String text = template.trim();
    while (m.find()) {
      regex.append(literal(text.substring(last, m.start())));
      names.add(m.group(1).trim());
      regex.append(m.end() == text.length() ? "(.+?)" : "(\\S+)");
      last = m.end();
    }
    regex.append(literal(text.substring(last))).append("\\s*");
    return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE);
  }

  private static String literal(String part) {
    if (part.isEmpty()) {
      return "";
    }
    List<String> pieces = new ArrayList<>();
    for (String piece : part.trim().split("\\s+")) {
      if (!piece.isEmpty()) {
        pieces.add(Pattern.quote(piece));
      }
    }
    // Any run of blanks in the template matches any run of blanks on the line.
    if (pieces.isEmpty()) {
      return "\\s+";
    }
    String lead = Character.isWhitespace(part.charAt(0)) ? "\\s+" : "";
    String trail = Character.isWhitespace(part.charAt(part.length() - 1)) ? "\\s+" : "";
    return lead + String.join("\\s+", pieces) + trail;
  }

  private void open() {
    try {
      PseudoTerminal terminal = PseudoTerminal.open();
      if (link.getParent() != null) {
        Files.createDirectories(link.getParent());
      }
      if (Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)
          && !Files.isSymbolicLink(link)) {
        terminal.close();
        throw new IllegalStateException(
            "cannot link the virtual serial port at "
                + link
                + ": something that is not a link is already there");
      }
      // Link under a temporary name, then rename over the old link: a client never sees no link.
      Path temp = link.resolveSibling(link.getFileName() + ".tmp-link");
      Files.deleteIfExists(temp);
      Files.createSymbolicLink(temp, Path.of(terminal.slavePath()));
      Files.move(temp, link, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      pty = terminal;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot open a pseudo-terminal for " + instrument.name() + " at " + link, e);
    }
  }

  private void readLoop() {
    StringBuilder line = new StringBuilder();
    while (running) {
      PseudoTerminal terminal = pty;
      byte[] bytes;
      try {
        bytes = terminal.read(100);
      } catch (IOException e) {
        if (running && terminal == pty && !terminal.isClosed()) {
          log.debug("{}: read failed: {}", instrument.name(), e.toString());
        }
        line.setLength(0);
        sleepQuietly(20);
        continue;
      }
      for (byte b : bytes) {
        char c = (char) (b & 0xff);
        if (c == '\r' || c == '\n') {
          if (line.length() > 0) {
            dispatch(line.toString(), terminal);
            line.setLength(0);
          }
        } else {
          line.append(c);
        }
      }
    }
  }

  private void dispatch(String text, PseudoTerminal terminal) {
    String command = text.trim();
    log.debug("{} <- {}", instrument.name(), command);
    String upper = command.toUpperCase(Locale.ROOT);
    // Status queries and Abort are answered at once, even while an operation runs.
    switch (upper) {
      case "*IDN?" -> {
        reply(
            terminal,
            "LabLoop,Virtual "
                + instrument.name()
                + ",SIM-"
                + Math.floorMod(instrument.name().hashCode(), 10000)
                + ",1.0");
        return;
      }
      case "STAT?", "STATE?" -> {
        reply(terminal, "OK state=" + instrument.variable("State"));
        return;
      }
      case "ABORT" -> {
        instrument.abort();
        reply(terminal, "OK");
        return;
      }
      case "*RST" -> {
        instrument.restart();
        reply(terminal, "OK");
        return;
      }
      default -> {}
    }
    for (Route route : routes) {
      Matcher m = route.pattern().matcher(command);
      if (m.matches()) {
        Map<String, Object> args = new LinkedHashMap<>();
        for (int i = 0; i < route.arguments().size(); i++) {
          args.put(route.arguments().get(i), m.group(i + 1).trim());
        }
        worker.execute(
            () ->
                answer(
                    terminal,
                    instrument.handle(
                        route.command().name(), route.inputs(), route.outputs(), args)));
        return;
      }
    }
    String verb = command.split("\\s+")[0];
    reply(terminal, "ERR unknown command '" + verb + "'");
  }

  private void answer(PseudoTerminal terminal, Outcome outcome) {
    if (outcome instanceof Outcome.Answer a) {
      StringBuilder text = new StringBuilder("OK");
      a.outputs().entrySet().stream()
          .sorted(Map.Entry.comparingByKey(orderOf(a.outputs().keySet())))
          .forEach(
              e -> text.append(' ').append(e.getKey()).append('=').append(format(e.getValue())));
      reply(terminal, text.toString());
    } else if (outcome instanceof Outcome.Failure f) {
      reply(terminal, "ERR " + f.message());
    } else if (outcome instanceof Outcome.Faulted f) {
      switch (f.fault()) {
        case GARBAGE -> reply(terminal, garbageLine());
        case DISCONNECT, RESTART -> replug();
        default -> {} // TIMEOUT: the instrument never answers
      }
    }
  }

  /** Orders outputs as the command lists them (a regex on the client may expect that order). */
  private java.util.Comparator<String> orderOf(java.util.Set<String> present) {
    List<String> order = new ArrayList<>();
    for (Route r : routes) {
      for (String o : r.outputs()) {
        if (present.contains(o) && !order.contains(o)) {
          order.add(o);
        }
      }
    }
    return java.util.Comparator.comparingInt(
            (String o) -> order.indexOf(o) < 0 ? Integer.MAX_VALUE : order.indexOf(o))
        .thenComparing(o -> o);
  }

  static String format(Object value) {
    if (value instanceof Double d) {
      return String.format(Locale.ROOT, "%.4f", d);
    }
    return String.valueOf(value);
  }

  private String garbageLine() {
    StringBuilder s = new StringBuilder();
    synchronized (garbage) {
      int n = 8 + garbage.nextInt(24);
      for (int i = 0; i < n; i++) {
        char c = (char) (0x21 + garbage.nextInt(0xdd));
        s.append(c == '\r' || c == '\n' ? '~' : c);
      }
    }
    return s.toString();
  }

  private void reply(PseudoTerminal terminal, String text) {
    log.debug("{} -> {}", instrument.name(), text);
    synchronized (writeLock) {
      try {
        terminal.write(text + terminator);
      } catch (IOException e) {
        log.debug("{}: reply lost: {}", instrument.name(), e.toString());
      }
    }
  }

  private void replug() {
    synchronized (writeLock) {
      // Remove the link first: the kernel reuses /dev/pts numbers, and a client must not follow a
      // stale link to some other program's terminal while this one is "unplugged".
      try {
        Files.deleteIfExists(link);
      } catch (IOException e) {
        log.debug("{}: cannot remove link {}: {}", instrument.name(), link, e.toString());
      }
      PseudoTerminal old = pty;
      old.close();
      sleepQuietly(REPLUG_MILLIS);
      if (running) {
        open();
        log.info("{}: serial line back at {}", instrument.name(), link);
      }
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      TimeUnit.MILLISECONDS.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public List<Endpoint> endpoints() {
    return List.of(
        new Endpoint(
            instrument.name(), "serial", link.toString(), -1, Map.of("device", pty.slavePath())));
  }

  @Override
  public void close() {
    running = false;
    instrument.abort();
    worker.shutdownNow();
    if (reader != null) {
      try {
        reader.join(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    synchronized (writeLock) {
      pty.close();
    }
    try {
      if (Files.isSymbolicLink(link)) {
        Files.delete(link);
      }
    } catch (IOException e) {
      log.warn("cannot remove serial link {}: {}", link, e.toString());
    }
  }
}
