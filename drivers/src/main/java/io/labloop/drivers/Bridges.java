package io.labloop.drivers;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Shared connections ("bridges", as in openHAB): instruments behind one OPC UA server or one MQTT
 * broker share one session or client. A bridge is created by the first instrument that asks for its
 * key, and closed when the last one releases it.
 */
public final class Bridges implements AutoCloseable {

  private final Map<String, Entry> open = new HashMap<>();

  private static final class Entry {
    final AutoCloseable bridge;
    int users;

    Entry(AutoCloseable bridge) {
      this.bridge = bridge;
    }
  }

  /**
   * Returns the bridge for {@code key}, creating it on first use; each call must be paired with
   * {@link #release}.
   */
  public synchronized <T extends AutoCloseable> T acquire(
      String key, Class<T> type, Supplier<T> create) {
    Entry e = open.computeIfAbsent(key, k -> new Entry(create.get()));
    e.users++;
    return type.cast(e.bridge);
  }

  /** Releases one use of {@code key}; closes the bridge when nobody uses it any more. */
  public void release(String key) {
    AutoCloseable toClose = null;
    synchronized (this) {
      Entry e = open.get(key);
      if (e == null) return;
      if (--e.users == 0) {
        open.remove(key);
        toClose = e.bridge;
      }
    }
    closeQuietly(toClose);
  }

  /** Closes every bridge still open. */
  @Override
  public void close() {
    Map<String, Entry> all;
    synchronized (this) {
      all = new HashMap<>(open);
      open.clear();
    }
    all.values().forEach(e -> closeQuietly(e.bridge));
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c == null) return;
    try {
      c.close();
    } catch (Exception ignored) {
      // closing is best effort; the driver logged what it could
    }
  }
}
