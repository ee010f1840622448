package io.labloop.orchestrator.api;

import java.util.List;

/**
 * The outcome of re-reading the lab file.
 *
 * @param applied true if the new file is now in force
 * @param file the lab file that was read
 * @param changes one line per instrument that changed (applied now or after its running step)
 * @param problems {@code FILE:LINE:COLUMN: error: ...} lines of a rejected file (the running
 *     configuration stays)
 */
public record ReloadResult(
    boolean applied, String file, List<String> changes, List<String> problems) {
  public ReloadResult {
    changes = List.copyOf(changes);
    problems = List.copyOf(problems);
  }
}
