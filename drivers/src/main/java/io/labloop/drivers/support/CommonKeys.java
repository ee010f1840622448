package io.labloop.drivers.support;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Keys the orchestrator owns; every driver accepts them and otherwise ignores them. */
public final class CommonKeys {

  /**
   * Instrument level: validated by the orchestrator's config reader. {@code agent} names the
   * instrument PC's agent that drives it (see {@code labloop agent}).
   */
  public static final Set<String> INSTRUMENT =
      Set.of("driver", "limits", "capacity", "abort", "health", "description", "agent");

  /**
   * Command level; {@code timeout}, {@code idempotent} and {@code outputs} are also read by the
   * drivers.
   */
  public static final Set<String> COMMAND =
      Set.of("timeout", "idempotent", "outputs", "requires", "description");

  private CommonKeys() {}

  /** The common instrument keys plus a driver's own. */
  public static Set<String> instrumentPlus(List<String> own) {
    Set<String> all = new HashSet<>(INSTRUMENT);
    all.addAll(own);
    return all;
  }

  /** The common command keys plus a driver's own. */
  public static Set<String> commandPlus(List<String> own) {
    Set<String> all = new HashSet<>(COMMAND);
    all.addAll(own);
    return all;
  }
}
