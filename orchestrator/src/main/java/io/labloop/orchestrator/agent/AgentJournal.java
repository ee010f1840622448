package io.labloop.orchestrator.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's own journal of non-idempotent commands, one JSON line per change in a file, forced to
 * disk before the command goes to the instrument (write before act, as the daemon's step journal).
 *
 * <p>Each journal key (the daemon's {@code run/seq/step}) is in one state: STARTED (sent to the
 * instrument, no answer yet), DONE or FAILED (with the reply the daemon was or will be given), or
 * INTERRUPTED (STARTED when the agent stopped: maybe done, maybe not). {@link #begin} decides what
 * a request does:
 *
 * <ul>
 *   <li>a new key, or a later attempt of a key that FAILED or was INTERRUPTED (the campaign decided
 *       to retry): journal STARTED, then send;
 *   <li>a key DONE or FAILED: answer the stored reply, whatever the attempt, never send again;
 *   <li>a key INTERRUPTED at this attempt: answer "interrupted";
 *   <li>a key STARTED in this agent's life: wait for the command already running.
 * </ul>
 *
 * On opening, every STARTED key becomes INTERRUPTED. The file is rewritten with the newest {@link
 * #KEEP} keys when it has grown past twice that, so it stays small.
 */
final class AgentJournal {

  private static final Logger log = LoggerFactory.getLogger(AgentJournal.class);

  static final int KEEP = 1000;

  enum State {
    STARTED,
    DONE,
    FAILED,
    INTERRUPTED
  }

  record Entry(String key, int attempt, State state, Map<String, Object> reply) {}

  /** What to do with a request. */
  sealed interface Decision {}

  /** Journaled STARTED: send it to the instrument, then {@link #end}. */
  record Send() implements Decision {}

  /** Answer this without sending anything. */
  record Answer(Map<String, Object> reply) implements Decision {}

  /** The same key is being sent right now: answer what it answers. */
  record Running() implements Decision {}

  private final Path file;
  private final Map<String, Entry> entries = new LinkedHashMap<>();
  private FileChannel out;
  private int lines;

  /** Opens (or creates) {@code file}; keys left STARTED by the last run become INTERRUPTED. */
  AgentJournal(Path file) {
    this.file = file;
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      if (Files.exists(file)) {
        int n = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          n++;
          if (line.isBlank()) continue;
          try {
            Map<String, Object> m = AgentMessages.readLine(line);
            @SuppressWarnings("unchecked")
            Map<String, Object> reply =
                m.get("reply") instanceof Map<?, ?> r ? (Map<String, Object>) r : Map.of();
            String key = String.valueOf(m.get("key"));
            entries.remove(key); // keep insertion order = last change
            entries.put(
                key,
                new Entry(
                    key,
                    ((Number) m.get("attempt")).intValue(),
                    State.valueOf(String.valueOf(m.get("state"))),
                    reply));
          } catch (IOException | RuntimeException e) {
            // a line cut short by a power cut is the last one; it never finished its write
            log.warn("{}:{}: unreadable journal line skipped ({})", file, n, e.getMessage());
          }
        }
      }
      List<Entry> started =
          entries.values().stream().filter(e -> e.state() == State.STARTED).toList();
      compact(true);
      for (Entry e : started) {
        log.warn(
            "journal key {} (attempt {}) was in flight when the agent stopped: it is INTERRUPTED",
            e.key(),
            e.attempt());
        append(
            new Entry(
                e.key(),
                e.attempt(),
                State.INTERRUPTED,
                AgentMessages.failed(
                    "interrupted",
                    "the agent stopped while the command was in flight (journal key "
                        + e.key()
                        + "); it may or may not have reached the instrument, so it is not sent"
                        + " again")));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the agent journal " + file, e);
    }
  }

  synchronized Decision begin(String key, int attempt) {
    Entry e = entries.get(key);
    boolean retry =
        e != null
            && attempt > e.attempt()
            && (e.state() == State.FAILED || e.state() == State.INTERRUPTED);
    if (e == null || retry) {
      append(new Entry(key, attempt, State.STARTED, Map.of()));
      return new Send();
    }
    return switch (e.state()) {
      case STARTED -> new Running();
      case DONE, FAILED, INTERRUPTED -> new Answer(withJournalMark(e.reply()));
    };
  }

  synchronized void end(String key, int attempt, boolean ok, Map<String, Object> reply) {
    append(new Entry(key, attempt, ok ? State.DONE : State.FAILED, reply));
  }

  synchronized Optional<Entry> entry(String key) {
    return Optional.ofNullable(entries.get(key));
  }

  private static Map<String, Object> withJournalMark(Map<String, Object> reply) {
    Map<String, Object> m = new LinkedHashMap<>(reply);
    m.put("from-journal", true);
    return m;
  }

  private void append(Entry e) {
    entries.remove(e.key());
    entries.put(e.key(), e);
    try {
      if (out == null)
        out =
            FileChannel.open(
                file,
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
      out.write(ByteBuffer.wrap(line(e).getBytes(StandardCharsets.UTF_8)));
      out.force(false);
      lines++;
    } catch (IOException x) {
      throw new UncheckedIOException("cannot write the agent journal " + file, x);
    }
    if (lines > 2 * KEEP) compact(false);
  }

  private static String line(Entry e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("key", e.key());
    m.put("attempt", e.attempt());
    m.put("state", e.state().name());
    if (!e.reply().isEmpty()) m.put("reply", e.reply());
    return AgentMessages.text(m) + "\n";
  }

  /** Rewrites the file with the newest {@link #KEEP} keys (all of them when {@code always}). */
  private void compact(boolean always) {
    if (!always && entries.size() <= KEEP && lines <= 2 * KEEP) return;
    List<Entry> keep = new ArrayList<>(entries.values());
    if (keep.size() > KEEP) keep = keep.subList(keep.size() - KEEP, keep.size());
    try {
      if (out != null) out.close();
      out = null;
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      StringBuilder text = new StringBuilder();
      keep.forEach(e -> text.append(line(e)));
      try (FileChannel c =
          FileChannel.open(
              tmp,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING)) {
        c.write(ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)));
        c.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      entries.clear();
      keep.forEach(e -> entries.put(e.key(), e));
      lines = keep.size();
    } catch (IOException x) {
      throw new UncheckedIOException("cannot rewrite the agent journal " + file, x);
    }
  }

  synchronized void close() {
    try {
      if (out != null) out.close();
    } catch (IOException e) {
      log.debug("closing {}", file, e);
    }
  }
}
