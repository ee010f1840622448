package io.labloop.orchestrator.api;

/** Re-reads the lab file; a bad file is rejected and the running configuration stays. */
@FunctionalInterface
public interface LabReload {
  ReloadResult reload(Actor who);
}
